using CsCheck;
using Kinesis.Clients.Producer.Limits;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class ShardRateLimiterTests
{
    private const long Frequency = TimeSpan.TicksPerSecond;
    private const long Start = 1_000_000_000_000;
    private const int MiB = 1024 * 1024;

    private static long At(double seconds) => Start + (long)Math.Round(seconds * Frequency);

    [Fact]
    public void RateLimit_150_allows_1500_records_from_a_full_start_and_no_more()
    {
        var limiter = new ShardRateLimiter(150, Start, Frequency);

        for (var i = 0; i < 1500; i++)
        {
            Assert.True(limiter.TryTake(1, Start), $"record {i} refused");
        }

        Assert.False(limiter.TryTake(1, Start));
    }

    [Fact]
    public void RateLimit_150_allows_one_and_a_half_MiB_from_a_full_start_and_no_more()
    {
        var limiter = new ShardRateLimiter(150, Start, Frequency);

        Assert.True(limiter.TryTake(MiB / 2, Start));
        Assert.True(limiter.TryTake(MiB / 2, Start));
        Assert.True(limiter.TryTake(MiB / 2, Start));
        Assert.False(limiter.TryTake(1, Start));
    }

    [Fact]
    public void RateLimit_150_refills_1500_records_and_one_and_a_half_MiB_a_second()
    {
        var limiter = new ShardRateLimiter(150, Start, Frequency);
        for (var i = 0; i < 1500; i++)
        {
            limiter.TryTake(1, Start);
        }

        // 1 ms later 1.5 records have come back: one whole record fits, the half does not.
        Assert.True(limiter.TryTake(1, At(0.001)));
        Assert.False(limiter.TryTake(1, At(0.001)));

        // Half a second refills 0.75 MiB: a 0.75 MiB record fits then, a byte more does not.
        var bytes = new ShardRateLimiter(150, Start, Frequency);
        Assert.True(bytes.TryTake(3 * MiB / 2, Start));
        Assert.False(bytes.TryTake(1, Start));
        Assert.False(bytes.TryTake((3 * MiB / 4) + 1, At(0.5)));
        Assert.True(bytes.TryTake(3 * MiB / 4, At(0.5)));
        Assert.False(bytes.TryTake(1, At(0.5)));
    }

    [Theory]
    [InlineData(1, 10)]
    [InlineData(50, 500)]
    [InlineData(100, 1000)]
    [InlineData(300, 3000)]
    public void The_record_budget_is_RateLimit_percent_of_1000_a_second(int rateLimit, int records)
    {
        var limiter = new ShardRateLimiter(rateLimit, Start, Frequency);

        var taken = 0;
        while (limiter.TryTake(1, Start))
        {
            taken++;
        }

        Assert.Equal(records, taken);
    }

    [Fact]
    public void Running_out_of_records_leaves_the_bytes_untouched()
    {
        var limiter = new ShardRateLimiter(100, Start, Frequency);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(limiter.TryTake(1, Start));
        }

        Assert.False(limiter.TryTake(1, Start));
        Assert.Equal((1 + 1e-3) / 1000, limiter.TimeUntilAvailable(1, Start).TotalSeconds, 7);

        // One record comes back in a millisecond; the bytes bucket still holds almost a MiB.
        Assert.True(limiter.TryTake(MiB - 1000, At(0.001)));
        Assert.False(limiter.TryTake(1, At(0.001)));
    }

    [Fact]
    public void A_record_waits_until_the_bytes_cover_it_not_just_until_any_byte_is_left()
    {
        var limiter = new ShardRateLimiter(100, Start, Frequency);
        for (var i = 0; i < 950; i++)
        {
            Assert.True(limiter.TryTake(1, Start));
        }

        // 950 bytes short of a full bucket: a whole-MiB record waits for exactly those bytes.
        Assert.False(limiter.TryTake(MiB, Start));
        var wait = limiter.TimeUntilAvailable(MiB, Start).TotalSeconds;
        Assert.Equal((950 + (1e-6 * MiB)) / MiB, wait, 6);
        Assert.False(limiter.TryTake(MiB, At(wait - 0.0001)));
        Assert.True(limiter.TryTake(MiB, At(wait)));
    }

    [Fact]
    public void A_record_larger_than_the_bucket_goes_from_a_full_bucket_and_the_next_waits_for_the_debt()
    {
        var limiter = new ShardRateLimiter(100, Start, Frequency);
        Assert.True(limiter.TryTake(3 * MiB / 2, Start));

        Assert.False(limiter.TryTake(1, Start));
        var expected = ((MiB / 2) + 1 + (1e-6 * MiB)) / MiB;
        Assert.Equal(expected, limiter.TimeUntilAvailable(1, Start).TotalSeconds, 6);
        Assert.False(limiter.TryTake(1, At(expected - 0.000002)));
        Assert.True(limiter.TryTake(1, At(expected)));

        // Another oversized record needs the bucket full again.
        Assert.False(limiter.TryTake(3 * MiB / 2, At(1)));
        Assert.True(limiter.TryTake(3 * MiB / 2, At(1.6)));
    }

    [Fact]
    public void TimeUntilAvailable_is_the_longer_of_the_records_and_bytes_waits()
    {
        var limiter = new ShardRateLimiter(100, Start, Frequency);
        for (var i = 0; i < 1000; i++)
        {
            limiter.TryTake(1, Start);
        }

        // No record token left (1 ms to the next); the bytes hold MiB - 1000.
        var recordsWait = (1 + 1e-3) / 1000;
        Assert.Equal(recordsWait, limiter.TimeUntilAvailable(1000, Start).TotalSeconds, 7);
        var bytesWait = (1000 + (1e-6 * MiB)) / MiB;
        Assert.Equal(Math.Max(recordsWait, bytesWait), limiter.TimeUntilAvailable(MiB, Start).TotalSeconds, 7);
    }

    [Fact]
    public void TimeUntilAvailable_is_zero_while_both_buckets_cover_the_record()
    {
        var limiter = new ShardRateLimiter(100, Start, Frequency);
        limiter.TryTake(MiB - 1, Start);

        Assert.Equal(TimeSpan.Zero, limiter.TimeUntilAvailable(1, Start));
        Assert.NotEqual(TimeSpan.Zero, limiter.TimeUntilAvailable(2, Start));
    }

    [Fact]
    public void No_one_second_window_sends_more_than_twice_the_budget_plus_one_record()
    {
        var deltas = Gen.OneOf(Gen.Const(0L), Gen.Long[0, Frequency / 1000], Gen.Long[0, Frequency / 10], Gen.Long[0, 2 * Frequency]);
        var sizes = Gen.OneOf(Gen.Int[1, 1000], Gen.Int[1, 64 * 1024], Gen.Int[1, MiB]);
        var gen = Gen.Select(Gen.Int[1, 300], Gen.Select(deltas, sizes).Array[1, 600]);

        SeededCheck.ForAll(gen, c =>
        {
            var (rateLimit, steps) = c;
            var limiter = new ShardRateLimiter(rateLimit, Start, Frequency);
            var records = new List<(long At, double Amount)>();
            var bytes = new List<(long At, double Amount)>();
            var now = Start;
            foreach (var (delta, size) in steps)
            {
                now += delta;
                if (limiter.TryTake(size, now))
                {
                    records.Add((now, 1));
                    bytes.Add((now, size));
                }
            }

            var scale = rateLimit / 100.0;
            WindowBound.AssertEveryWindow(records, Frequency, 1000 * scale, 1000 * scale);
            WindowBound.AssertEveryWindow(bytes, Frequency, MiB * scale, MiB * scale);
        });
    }
}
