using CsCheck;
using Kinesis.Clients.Producer.Limits;

namespace Kinesis.Clients.Producer.Tests.Units;

/// <summary>
/// Records on their way: the service charges a record when it arrives, not when the producer planned it, so the
/// budget of records still on their way must not refill.
/// </summary>
public sealed class ShardRateLimiterInFlightTests
{
    private const long Frequency = TimeSpan.TicksPerSecond;
    private const long Start = 1_000_000_000_000;

    private static long At(double seconds) => Start + (long)Math.Round(seconds * Frequency);

    [Fact]
    public void Records_on_their_way_keep_their_budget_until_answered_and_it_refills_from_the_answer()
    {
        var limiter = new ShardRateLimiter(100, Start, Frequency);
        for (var i = 0; i < 1000; i++)
        {
            Assert.True(limiter.TrySend(1, Start), $"record {i} refused");
        }

        // Ten seconds without an answer: nothing refilled, and only an answer can change that.
        Assert.False(limiter.TrySend(1, At(10)));
        Assert.Equal(TimeSpan.MaxValue, limiter.TimeUntilAvailable(1, At(10)));

        // 100 answered at 10 s: those come back at the rate, from then on.
        for (var i = 0; i < 100; i++)
        {
            limiter.Release(1, At(10));
        }

        Assert.False(limiter.TrySend(1, At(10)));
        Assert.Equal((1 + 1e-3) / 1000, limiter.TimeUntilAvailable(1, At(10)).TotalSeconds, 7);
        Assert.True(limiter.TrySend(1, At(10.001)));
        var taken = 1;
        while (limiter.TrySend(1, At(11)))
        {
            taken++;
        }

        // 100 released: the bucket refilled to them and no further, however long it waited.
        Assert.Equal(100, taken);
    }

    [Fact]
    public void A_retry_charged_on_its_way_overdraws_and_holds_its_budget_until_answered()
    {
        var limiter = new ShardRateLimiter(100, Start, Frequency);
        limiter.Charge(10, Start);
        for (var i = 0; i < 999; i++)
        {
            Assert.True(limiter.TrySend(1, Start));
        }

        // The first retry took a token of the full bucket; the second finds none and overdraws it to -1. The 1,001
        // records on their way hold more than the whole second's budget.
        limiter.Charge(10, Start);
        Assert.False(limiter.TrySend(1, At(5)));
        limiter.Release(10, At(5));
        limiter.Release(10, At(5));

        // Two answered: the bucket stands at -1 (the second retry's overdraft) and may refill to +1.
        Assert.False(limiter.TrySend(1, At(5.0015)));
        Assert.True(limiter.TrySend(1, At(5.002)));
        Assert.False(limiter.TrySend(1, At(6)));
    }

    /// <summary>
    /// The guarantee, as a property: the producer plans requests at RateLimit ≤ 100 %; each request reaches the
    /// shard after any delay (a connection queue, a stalled thread: up to 2 s) and is answered any time after; the
    /// shard admits what its own bucket (the service's limit, one second's worth, starting full) covers at arrival.
    /// Whatever the delays, the shard never has to refuse a record.
    /// </summary>
    [Fact]
    public void Requests_held_up_on_their_way_never_reach_the_shard_above_its_limit()
    {
        var request = Gen.Select(
            Gen.OneOf(Gen.Long[0, Frequency / 100], Gen.Long[0, Frequency / 4]),
            Gen.OneOf(Gen.Long[0, Frequency / 100], Gen.Long[0, 2 * Frequency]),
            Gen.Long[0, Frequency / 2],
            Gen.Int[1, 500],
            Gen.Int[1, 8 * 1024]);
        var gen = Gen.Select(Gen.Int[5, 100], request.Array[1, 300]);

        SeededCheck.ForAll(gen, c =>
        {
            var (rateLimit, requests) = c;
            var limiter = new ShardRateLimiter(rateLimit, Start, Frequency);
            var shard = new ServiceShard(Start);

            // (time, is the arrival (else the answer), records' sizes), in time order; arrivals before answers at a tie.
            var events = new PriorityQueue<(bool Arrival, int[] Sizes), (long, int)>();
            var now = Start;
            foreach (var (gap, delay, answerAfter, most, size) in requests)
            {
                now += gap;
                Deliver(events, limiter, shard, now);
                var sizes = new List<int>();
                while (sizes.Count < most && limiter.TrySend(size, now))
                {
                    sizes.Add(size);
                }

                if (sizes.Count > 0)
                {
                    events.Enqueue((true, [.. sizes]), (now + delay, 0));
                    events.Enqueue((false, [.. sizes]), (now + delay + answerAfter, 1));
                }
            }

            Deliver(events, limiter, shard, long.MaxValue);
            Assert.True(shard.Refused == 0, $"RateLimit {rateLimit}: the shard refused {shard.Refused} of {shard.Admitted + shard.Refused} records");
        });
    }

    private static void Deliver(PriorityQueue<(bool Arrival, int[] Sizes), (long, int)> events, ShardRateLimiter limiter, ServiceShard shard, long until)
    {
        while (events.TryPeek(out var next, out var key) && key.Item1 <= until)
        {
            events.Dequeue();
            foreach (var size in next.Sizes)
            {
                if (next.Arrival)
                {
                    shard.Arrive(size, key.Item1);
                }
                else
                {
                    limiter.Release(size, key.Item1);
                }
            }
        }
    }

    /// <summary>The service's side as the limits proxy models it: 1,000 records/s and 1 MiB/s, one second's worth, charged at arrival.</summary>
    private sealed class ServiceShard(long start)
    {
        // A rounding error's worth: at RateLimit 100 the two sides hold exactly the same amounts.
        private const double Slack = 1e-6;
        private const double Records = 1000;
        private const double Bytes = 1024 * 1024;
        private double _records = Records;
        private double _bytes = Bytes;
        private long _at = start;

        public int Admitted { get; private set; }

        public int Refused { get; private set; }

        public void Arrive(int size, long at)
        {
            if (at > _at)
            {
                var seconds = (double)(at - _at) / Frequency;
                _records = Math.Min(Records, _records + (seconds * Records));
                _bytes = Math.Min(Bytes, _bytes + (seconds * Bytes));
                _at = at;
            }

            if (_records + Slack >= 1 && (_bytes + Slack >= size || _bytes >= Bytes))
            {
                _records--;
                _bytes -= size;
                Admitted++;
            }
            else
            {
                Refused++;
            }
        }
    }
}
