using Kinesis.Clients.Producer.Pipeline;

namespace Kinesis.Clients.Producer.Tests.Units;

/// <summary>
/// Full runs and aggregates take arrays of exactly AggregationMaxSize, shared between the two, instead of the next
/// power of two; other sizes keep the power-of-two buckets; a returned array is lent again.
/// </summary>
public sealed class AggregateBuffersTests
{
    // A length no other test uses, so the shared pool's arrays of it are this test's alone.
    private const int MaxSize = 40_001;

    [Theory]
    [InlineData(20_001)]
    [InlineData(30_000)]
    [InlineData(MaxSize)]
    public void A_size_above_half_of_the_aggregate_limit_gets_an_array_of_exactly_the_limit(int size)
    {
        var array = AggregateBuffers.Rent(size, MaxSize);

        Assert.Equal(MaxSize, array.Length);
        AggregateBuffers.Return(array);
    }

    [Theory]
    [InlineData(1, 16)]
    [InlineData(20_000, 32_768)]
    [InlineData(MaxSize + 1, 65_536)]
    public void Other_sizes_get_the_next_power_of_two(int size, int expected)
    {
        var array = AggregateBuffers.Rent(size, MaxSize);

        Assert.Equal(expected, array.Length);
        AggregateBuffers.Return(array);
    }

    [Fact]
    public void An_array_given_back_is_lent_again_before_a_new_one_is_made()
    {
        var pool = new FixedLengthArrays(1000, maxKept: 2);
        var first = pool.Rent();
        var second = pool.Rent();
        pool.Return(first);
        pool.Return(second);

        Assert.Same(second, pool.Rent());
        Assert.Same(first, pool.Rent());
        Assert.NotSame(first, pool.Rent());
    }

    [Fact]
    public void No_more_than_the_most_kept_arrays_are_kept()
    {
        var pool = new FixedLengthArrays(1000, maxKept: 2);
        var arrays = new[] { pool.Rent(), pool.Rent(), pool.Rent() };
        foreach (var array in arrays)
        {
            pool.Return(array);
        }

        Assert.Equal(2, pool.Count);
    }

    [Fact]
    public void An_array_of_another_length_is_refused_by_name()
    {
        var pool = new FixedLengthArrays(1000, maxKept: 2);

        var error = Assert.Throws<ArgumentException>(() => pool.Return(new byte[999]));

        Assert.Equal("array", error.ParamName);
        Assert.Contains("999", error.Message, StringComparison.Ordinal);
    }
}
