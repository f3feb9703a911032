using System.Globalization;
using System.Numerics;
using System.Text;
using CsCheck;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Tests.Records;

public sealed class HashKeyTests
{
    private const string Max = "340282366920938463463374607431768211455";

    [Fact]
    public void FromPartitionKey_pk1_is_the_documented_value()
    {
        var key = HashKey.FromPartitionKey("pk1");

        Assert.Equal("329398341438914906102347661116985167824", key.ToString());
    }

    [Fact]
    public void FromPartitionKey_matches_MD5_read_as_an_unsigned_big_endian_integer()
    {
        var keys = Gen.String[Gen.Char, 0, 300].Select(s => new string(s.Where(c => !char.IsSurrogate(c)).ToArray()));
        var withAstral = Gen.Int[0x10000, 0x10FFFF].Array[0, 20].Select(cps => string.Concat(cps.Select(char.ConvertFromUtf32)));

        SeededCheck.ForAll(Gen.OneOf(keys, withAstral), partitionKey =>
        {
            var digest = Md5.Of(Encoding.UTF8.GetBytes(partitionKey));
            var expected = new BigInteger(digest, isUnsigned: true, isBigEndian: true);

            Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), HashKey.FromPartitionKey(partitionKey).ToString());
        });
    }

    [Fact]
    public void FromPartitionKey_of_a_long_key_uses_a_rented_buffer_and_gives_the_same_value()
    {
        var partitionKey = new string('é', 5000);
        var expected = new BigInteger(Md5.Of(Encoding.UTF8.GetBytes(partitionKey)), isUnsigned: true, isBigEndian: true);

        Assert.Equal(expected.ToString(CultureInfo.InvariantCulture), HashKey.FromPartitionKey(partitionKey).ToString());
    }

    [Theory]
    [InlineData("0", "0")]
    [InlineData("1", "1")]
    [InlineData("170141183460469231731687303715884105728", "170141183460469231731687303715884105728")]
    [InlineData(Max, Max)]
    public void Parse_accepts_canonical_decimals_in_range(string text, string expected)
    {
        Assert.True(HashKey.TryParse(text, out var key));
        Assert.Equal(expected, key.ToString());
        Assert.Equal(key, HashKey.Parse(text));
    }

    [Theory]
    [InlineData("340282366920938463463374607431768211456")] // 2^128
    [InlineData("999999999999999999999999999999999999999")]
    [InlineData("1000000000000000000000000000000000000000")] // 40 digits
    [InlineData("-1")]
    [InlineData("-0")]
    [InlineData("+1")]
    [InlineData("")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("1a")]
    [InlineData("0x10")]
    [InlineData("1,000")]
    [InlineData("1.0")]
    [InlineData("1e3")]
    [InlineData("007")] // the API's pattern 0|([1-9]\d{0,38}) refuses leading zeros
    [InlineData("00")]
    [InlineData("٣")] // a non-ASCII digit
    public void Parse_rejects_anything_outside_the_APIs_grammar(string text)
    {
        Assert.False(HashKey.TryParse(text, out _));
        Assert.Throws<FormatException>(() => HashKey.Parse(text));
    }

    [Fact]
    public void TryParse_of_null_is_false()
    {
        Assert.False(HashKey.TryParse((string?)null, out _));
    }

    [Fact]
    public void ToString_and_Parse_round_trip_every_value()
    {
        var values = Gen.Select(Gen.ULong, Gen.ULong, (hi, lo) => new UInt128(hi, lo));

        SeededCheck.ForAll(values, value =>
        {
            var key = new HashKey(value);

            Assert.Equal(key, HashKey.Parse(key.ToString()));
        });
    }

    [Fact]
    public void Comparison_follows_the_unsigned_value()
    {
        var low = HashKey.Parse("1");
        var high = HashKey.Parse(Max);

        Assert.True(low < high);
        Assert.True(high > low);
        Assert.True(low <= HashKey.Parse("1"));
        Assert.True(high >= low);
        Assert.True(low != high);
        Assert.Equal(-1, Math.Sign(low.CompareTo(high)));
        Assert.Equal(HashKey.MaxValue, high);
        Assert.Equal(HashKey.MinValue, HashKey.Parse("0"));
    }

    [Fact]
    public void ForRecord_prefers_the_explicit_hash_key()
    {
        Assert.Equal(HashKey.Parse("42"), HashKey.ForRecord("pk1", "42"));
        Assert.Equal(HashKey.FromPartitionKey("pk1"), HashKey.ForRecord("pk1", null));
    }
}
