using System.Text;
using System.Text.RegularExpressions;
using Kinesis.Clients.Agent.Shipping;
using Kinesis.Clients.Agent.Tailing;

namespace Kinesis.Clients.Agent.Tests.Shipping;

public sealed class PartitionKeySelectorTests
{
    private static readonly ITailedFile File = new NamedFile("/var/log/app/web.log");

    [Fact]
    public void File_keys_are_the_path_and_long_paths_are_hashed_to_fit()
    {
        Assert.Equal("/var/log/app/web.log", PartitionKeySelector.File().Select("x"u8, File));
        var longPath = "/" + new string('d', 300) + "/x.log";
        var key = PartitionKeySelector.File().Select("x"u8, new NamedFile(longPath));
        Assert.InRange(key.Length, 1, PartitionKeySelector.MaxKeyLength);
        Assert.Equal(key, PartitionKeySelector.File().Select("y"u8, new NamedFile(longPath)));
    }

    [Fact]
    public void Deterministic_keys_are_the_md5_of_the_data_so_equal_records_share_a_key()
    {
        var keys = PartitionKeySelector.Deterministic();
        Assert.Equal("5eb63bbbe01eeed093cb22bb8f5acdc3", keys.Select("hello world"u8, File));
        Assert.NotEqual(keys.Select("a"u8, File), keys.Select("b"u8, File));
    }

    [Fact]
    public void Random_keys_are_valid_decimal_numbers_and_spread()
    {
        var keys = PartitionKeySelector.Random();
        var seen = Enumerable.Range(0, 2000).Select(_ => keys.Select("x"u8, File)).ToList();
        Assert.All(seen, k => Assert.True(k.Length is > 0 and <= 256 && k.All(char.IsAsciiDigit), k));
        Assert.True(seen.Distinct().Count() > 1000, "2,000 draws from 4,096 keys should give well over 1,000 distinct keys");
    }

    [Theory]
    [InlineData("""{"user":"alice","n":1}""", "alice")]
    [InlineData("""{"n":1,"user":42}""", "42")]
    [InlineData("""{"nested":{"user":"no"},"user":true}""", "true")]
    public void Field_keys_read_a_top_level_json_field(string record, string expected) =>
        Assert.Equal(expected, PartitionKeySelector.Field("user").Select(Encoding.UTF8.GetBytes(record), File));

    [Theory]
    [InlineData("not json at all")]
    [InlineData("""{"other":"x"}""")]
    [InlineData("""{"user":""}""")]
    [InlineData("""{"user":{"a":1}}""")]
    [InlineData("""{"user":"unterminated""")]
    public void Field_keys_fall_back_to_random_when_the_field_is_missing(string record)
    {
        var key = PartitionKeySelector.Field("user").Select(Encoding.UTF8.GetBytes(record), File);
        Assert.True(key.All(char.IsAsciiDigit), key);
    }

    [Fact]
    public void Regex_keys_take_the_first_group_or_the_whole_match_and_fall_back_to_random()
    {
        Assert.Equal("req-17", PartitionKeySelector.Pattern(new Regex(@"id=(\S+)")).Select("GET id=req-17 200"u8, File));
        Assert.Equal("GET", PartitionKeySelector.Pattern(new Regex("^[A-Z]+")).Select("GET /"u8, File));
        Assert.True(PartitionKeySelector.Pattern(new Regex(@"id=(\S+)")).Select("no id here"u8, File).All(char.IsAsciiDigit));
    }

    private sealed class NamedFile(string path) : ITailedFile
    {
        public int Id => 1;

        public string FlowId => "flow";

        public string Path => path;

        public void Acknowledge(long ticket, int count = 1)
        {
        }
    }
}
