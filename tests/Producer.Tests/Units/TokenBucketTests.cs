using CsCheck;
using Kinesis.Clients.Producer.Limits;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class TokenBucketTests
{
    // Timestamps in TimeSpan ticks, from an origin well away from zero.
    private const long Frequency = TimeSpan.TicksPerSecond;
    private const long Start = 1_000_000_000_000;

    private static long At(double seconds) => Start + (long)Math.Round(seconds * Frequency);

    [Fact]
    public void A_new_bucket_holds_one_seconds_worth_of_tokens()
    {
        var bucket = new TokenBucket(1000, Start, Frequency);

        Assert.Equal(1000, bucket.Available(Start));
        Assert.True(bucket.CanTake(Start));
        Assert.Equal(TimeSpan.Zero, bucket.TimeUntilAvailable(Start));
    }

    [Fact]
    public void Tokens_come_back_in_proportion_to_the_time_elapsed()
    {
        var bucket = new TokenBucket(1000, Start, Frequency);
        bucket.Take(1000);

        Assert.Equal(0, bucket.Available(Start));
        Assert.Equal(1, bucket.Available(At(0.001)), 9);
        Assert.Equal(250, bucket.Available(At(0.25)), 9);
        Assert.Equal(500, bucket.Available(At(0.5)), 9);
        Assert.Equal(999, bucket.Available(At(0.999)), 9);
        Assert.Equal(1000, bucket.Available(At(1)), 9);
    }

    [Fact]
    public void The_rate_is_per_second_whatever_the_timestamp_frequency()
    {
        const long Nanoseconds = 1_000_000_000;
        var bucket = new TokenBucket(400, 0, Nanoseconds);
        bucket.Take(400);

        Assert.Equal(100, bucket.Available(Nanoseconds / 4), 9);
    }

    [Fact]
    public void The_bucket_never_fills_above_one_seconds_worth()
    {
        var bucket = new TokenBucket(1000, Start, Frequency);

        Assert.Equal(1000, bucket.Available(At(10)));
        bucket.Take(200);
        Assert.Equal(800, bucket.Available(At(10)));
        Assert.Equal(900, bucket.Available(At(10.1)), 9);
        Assert.Equal(1000, bucket.Available(At(10.2)), 9);
        Assert.Equal(1000, bucket.Available(At(3600)));
    }

    [Fact]
    public void A_take_larger_than_what_is_left_overdraws_and_blocks_until_the_debt_is_repaid()
    {
        var bucket = new TokenBucket(1000, Start, Frequency);

        Assert.True(bucket.CanTake(Start));
        bucket.Take(1500);

        Assert.Equal(-500, bucket.Available(Start));
        Assert.False(bucket.CanTake(Start));
        Assert.False(bucket.CanTake(At(0.4999)));
        Assert.False(bucket.CanTake(At(0.5)));
        Assert.True(bucket.CanTake(At(0.5) + 10));
    }

    [Fact]
    public void An_item_larger_than_the_whole_bucket_gets_through_and_the_bucket_reopens_after_the_debt()
    {
        var bucket = new TokenBucket(1000, Start, Frequency);

        bucket.Take(5000);

        Assert.Equal(TimeSpan.FromSeconds(4.000001).TotalSeconds, bucket.TimeUntilAvailable(Start).TotalSeconds, 6);
        Assert.False(bucket.CanTake(At(4)));
        Assert.True(bucket.CanTake(At(4.000001)));
    }

    [Fact]
    public void TimeUntilAvailable_is_the_debt_over_the_rate_plus_one_microsecond()
    {
        var bucket = new TokenBucket(1000, Start, Frequency);
        bucket.Take(1500);

        // 500 tokens of debt at 1,000 a second, and a microsecond's worth more so the wake-up finds a token.
        Assert.Equal(TimeSpan.FromTicks(5_000_010), bucket.TimeUntilAvailable(Start));
        Assert.Equal(TimeSpan.FromTicks(2_500_010), bucket.TimeUntilAvailable(At(0.25)));
    }

    [Fact]
    public void TimeUntilAvailable_at_exactly_zero_tokens_is_one_microsecond()
    {
        var bucket = new TokenBucket(1000, Start, Frequency);
        bucket.Take(1000);

        Assert.False(bucket.CanTake(Start));
        Assert.Equal(TimeSpan.FromTicks(10), bucket.TimeUntilAvailable(Start));
    }

    [Fact]
    public void TimeUntilAvailable_is_zero_while_any_token_is_left()
    {
        var bucket = new TokenBucket(1000, Start, Frequency);
        bucket.Take(999.5);

        Assert.True(bucket.CanTake(Start));
        Assert.Equal(TimeSpan.Zero, bucket.TimeUntilAvailable(Start));
    }

    [Fact]
    public void A_timestamp_earlier_than_the_last_one_neither_refills_nor_drains()
    {
        var bucket = new TokenBucket(1000, Start, Frequency);
        Assert.Equal(1000, bucket.Available(At(1)));
        bucket.Take(1000);

        Assert.Equal(0, bucket.Available(At(0.5)));
        Assert.Equal(500, bucket.Available(At(1.5)), 9);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void A_rate_that_is_not_positive_is_refused(double rate)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new TokenBucket(rate, Start, Frequency));

        Assert.Equal("ratePerSecond", ex.ParamName);
    }

    [Fact]
    public void Waiting_the_reported_time_opens_the_bucket_and_waiting_less_does_not()
    {
        var gen = Gen.Select(Gen.Int[1, 100_000], Gen.Double[0, 5], Gen.Long[0, Frequency]);

        SeededCheck.ForAll(gen, c =>
        {
            var (rate, debtSeconds, elapsed) = c;
            var bucket = new TokenBucket(rate, Start, Frequency);
            bucket.Take(rate * (1 + debtSeconds));
            var now = Start + elapsed;
            var wait = bucket.TimeUntilAvailable(now);
            if (wait == TimeSpan.Zero)
            {
                Assert.True(bucket.CanTake(now));
                return;
            }

            // Timestamps are TimeSpan ticks here, so the wait converts one to one.
            Assert.False(bucket.CanTake(now + wait.Ticks - 20), $"open 2 µs before the reported wait of {wait}");
            Assert.True(bucket.CanTake(now + wait.Ticks), $"still closed after the reported wait of {wait}");
        });
    }

    [Fact]
    public void The_tokens_never_exceed_one_seconds_worth_whatever_the_takes()
    {
        var gen = Gen.Select(Gen.Int[1, 10_000], Gen.Select(Gen.Long[0, 2 * Frequency], Gen.Double[0, 2]).Array[1, 100]);

        SeededCheck.ForAll(gen, c =>
        {
            var (rate, steps) = c;
            var bucket = new TokenBucket(rate, Start, Frequency);
            var now = Start;
            foreach (var (delta, fraction) in steps)
            {
                now += delta;
                Assert.InRange(bucket.Available(now), double.MinValue, rate);
                if (bucket.CanTake(now))
                {
                    bucket.Take(fraction * rate);
                }
            }
        });
    }

    [Fact]
    public void No_one_second_window_takes_more_than_a_full_bucket_plus_a_seconds_refill_plus_one_overdrawing_item()
    {
        var deltas = Gen.OneOf(Gen.Const(0L), Gen.Long[0, Frequency / 100], Gen.Long[0, Frequency]);
        var fractions = Gen.OneOf(Gen.Double[0.0001, 0.05], Gen.Double[0.0001, 2.5]);
        var gen = Gen.Select(Gen.Int[1, 10_000], Gen.Select(deltas, fractions).Array[1, 400]);

        SeededCheck.ForAll(gen, c =>
        {
            var (rate, steps) = c;
            var bucket = new TokenBucket(rate, Start, Frequency);
            var taken = new List<(long At, double Amount)>();
            var now = Start;
            foreach (var (delta, fraction) in steps)
            {
                now += delta;
                if (bucket.CanTake(now))
                {
                    var amount = fraction * rate;
                    bucket.Take(amount);
                    taken.Add((now, amount));
                }
            }

            WindowBound.AssertEveryWindow(taken, Frequency, capacity: rate, ratePerSecond: rate);
        });
    }
}
