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

        // 1 ms later 1.5 records have come back: two takes succeed (the second overdraws half a record).
        Assert.True(limiter.TryTake(1, At(0.001)));
        Assert.True(limiter.TryTake(1, At(0.001)));
        Assert.False(limiter.TryTake(1, At(0.001)));

        // Half a second refills 0.75 MiB, enough to open the bucket for a record that overdraws it by as much.
        var bytes = new ShardRateLimiter(150, Start, Frequency);
        Assert.True(bytes.TryTake(3 * MiB / 2, Start));
        Assert.False(bytes.TryTake(1, Start));
        Assert.True(bytes.TryTake(3 * MiB / 2, At(0.5)));
        Assert.False(bytes.TryTake(1, At(1)));
        Assert.True(bytes.TryTake(1, At(1) + 10));
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
        Assert.Equal(TimeSpan.FromTicks(10), limiter.TimeUntilAvailable(Start));

        // One record comes back in a millisecond; the bytes bucket still holds almost a MiB.
        Assert.True(limiter.TryTake(MiB - 1000, At(0.001)));
        Assert.False(limiter.TryTake(1, At(0.001)));
    }

    [Fact]
    public void Running_out_of_bytes_leaves_the_records_untouched()
    {
        var limiter = new ShardRateLimiter(100, Start, Frequency);
        for (var i = 0; i < 950; i++)
        {
            Assert.True(limiter.TryTake(1, Start));
        }

        // 49 record tokens left; the bytes are 950 in debt.
        Assert.True(limiter.TryTake(MiB, Start));
        for (var i = 0; i < 50; i++)
        {
            Assert.False(limiter.TryTake(1, Start));
        }

        // 1 ms later the bytes are back above zero and one more record token has come: the refused takes cost none.
        var taken = 0;
        while (taken < 1000 && limiter.TryTake(1, At(0.001)))
        {
            taken++;
        }

        Assert.Equal(50, taken);
    }

    [Fact]
    public void An_oversized_record_overdraws_the_bytes_and_the_wait_is_its_debt_over_the_rate()
    {
        var limiter = new ShardRateLimiter(100, Start, Frequency);
        Assert.True(limiter.TryTake(MiB - 100, Start));
        Assert.True(limiter.TryTake(MiB, Start));

        Assert.False(limiter.TryTake(1, Start));
        var expected = (MiB - 100 + (1e-6 * MiB)) / MiB;
        Assert.Equal(expected, limiter.TimeUntilAvailable(Start).TotalSeconds, 6);
        Assert.False(limiter.TryTake(1, At(expected - 0.000002)));
        Assert.True(limiter.TryTake(1, At(expected)));
    }

    [Fact]
    public void TimeUntilAvailable_is_the_longer_of_the_records_and_bytes_waits()
    {
        var limiter = new ShardRateLimiter(100, Start, Frequency);
        for (var i = 0; i < 999; i++)
        {
            limiter.TryTake(1, Start);
        }

        // The last record token goes with a record that overdraws the bytes by half a MiB and 999 bytes.
        Assert.True(limiter.TryTake(3 * MiB / 2, Start));

        var bytesWait = (MiB / 2 + 999 + (1e-6 * MiB)) / MiB;
        Assert.Equal(bytesWait, limiter.TimeUntilAvailable(Start).TotalSeconds, 6);
    }

    [Fact]
    public void TimeUntilAvailable_is_zero_while_both_buckets_have_tokens()
    {
        var limiter = new ShardRateLimiter(100, Start, Frequency);
        limiter.TryTake(MiB - 1, Start);

        Assert.Equal(TimeSpan.Zero, limiter.TimeUntilAvailable(Start));
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
