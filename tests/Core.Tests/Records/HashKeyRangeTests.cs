using Kinesis.Clients.Records;

namespace Kinesis.Clients.Tests.Records;

public sealed class HashKeyRangeTests
{
    [Fact]
    public void Contains_includes_both_ends()
    {
        var range = HashKeyRange.Parse("10", "20");

        Assert.False(range.Contains(HashKey.Parse("9")));
        Assert.True(range.Contains(HashKey.Parse("10")));
        Assert.True(range.Contains(HashKey.Parse("15")));
        Assert.True(range.Contains(HashKey.Parse("20")));
        Assert.False(range.Contains(HashKey.Parse("21")));
    }

    [Fact]
    public void Full_range_contains_the_lowest_and_highest_keys()
    {
        Assert.True(HashKeyRange.Full.Contains(HashKey.MinValue));
        Assert.True(HashKeyRange.Full.Contains(HashKey.MaxValue));
        Assert.True(HashKeyRange.Full.Contains(HashKey.FromPartitionKey("pk1")));
    }

    [Fact]
    public void A_single_key_range_is_allowed()
    {
        var range = HashKeyRange.Parse("7", "7");

        Assert.True(range.Contains(HashKey.Parse("7")));
    }

    [Fact]
    public void Constructor_rejects_a_start_above_the_end()
    {
        var error = Assert.Throws<ArgumentException>(() => HashKeyRange.Parse("21", "20"));

        Assert.Equal("startingHashKey", error.ParamName);
        Assert.Contains("21", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ranges_compare_overlap_and_nest()
    {
        var lower = HashKeyRange.Parse("0", "99");
        var upper = HashKeyRange.Parse("100", "199");
        var middle = HashKeyRange.Parse("50", "150");

        Assert.False(lower.Overlaps(upper));
        Assert.True(lower.Overlaps(middle));
        Assert.True(HashKeyRange.Full.Contains(middle));
        Assert.False(lower.Contains(middle));
        Assert.Equal(HashKeyRange.Parse("0", "99"), lower);
        Assert.Equal("[0, 99]", lower.ToString());
    }
}
