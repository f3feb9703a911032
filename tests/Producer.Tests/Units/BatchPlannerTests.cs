using CsCheck;
using Kinesis.Clients.Producer.Pipeline;
using static Kinesis.Clients.Producer.Tests.Units.BufferFixture;

namespace Kinesis.Clients.Producer.Tests.Units;

/// <summary>
/// The planner over shard buffers without aggregation, so each record added is one ready Kinesis record of
/// its data bytes plus one (its one-character key), due 100 ms (the linger) after its acceptance.
/// </summary>
public sealed class BatchPlannerTests
{
    private static BufferFixture Fixture(int rateLimit = 150) =>
        new(new KinesisProducerOptions { AggregationEnabled = false, RateLimit = rateLimit });

    private static BatchPlanner Planner(int maxCount = 500, long maxSize = 5 * 1024 * 1024, int maxConnections = 24, bool ordered = false) =>
        new(maxCount, maxSize, maxConnections, ordered, Frequency);

    private static string[] Shards(List<KinesisRecordItem>? batch) => batch?.Select(i => i.PredictedShardId).ToArray() ?? [];

    /// <summary>What the pipeline does when the request of <paramref name="batch"/> is answered.</summary>
    private static void Answered(BufferFixture f, List<KinesisRecordItem> batch, long at)
    {
        foreach (var item in batch)
        {
            f.Shard(item.PredictedShardId).Limiter.Release(item.Size, at);
        }
    }

    [Fact]
    public void Nothing_buffered_sends_nothing_and_sleeps_the_longest_idle_wait()
    {
        using var f = Fixture();
        var planner = Planner();

        Assert.Null(planner.NextBatch(f.Buffers, At(0), flushing: true, inFlightRequests: 0));
        Assert.Empty(planner.BuildBatch(f.Buffers, At(0)));
        Assert.Equal(BatchPlanner.MaxIdleWait, planner.NextWakeUp(f.Buffers, At(0), false, 0, false, long.MaxValue));
    }

    // records of 99 + 1 bytes accepted at 0 ms (due at 100 ms); limits 3 records / 1,000 bytes.
    [Theory]
    [InlineData(1, 99.9, false, false)] // one record, not due
    [InlineData(1, 100, false, true)] // due: its linger ran out
    [InlineData(2, 50, false, false)]
    [InlineData(3, 50, false, true)] // full by count
    [InlineData(1, 50, true, true)] // flush
    public void A_request_goes_when_full_by_count_or_due_or_flushing(int records, double nowMs, bool flushing, bool sends)
    {
        using var f = Fixture();
        for (var i = 0; i < records; i++)
        {
            f.Add($"s{i}", 99, 0);
        }

        Assert.Equal(sends, Planner(maxCount: 3, maxSize: 1000).ShouldSend(f.Buffers, At(nowMs), flushing));
    }

    [Theory]
    [InlineData(499, false)]
    [InlineData(500, true)] // 500 + 500 bytes: full by bytes
    public void A_request_goes_when_the_ready_bytes_fill_one(int secondData, bool sends)
    {
        using var f = Fixture();
        f.Add("s1", 499, 0);
        f.Add("s2", secondData - 1, 0);

        Assert.Equal(sends, Planner(maxCount: 10, maxSize: 999 + 1).ShouldSend(f.Buffers, At(1), flushing: false));
    }

    [Fact]
    public void A_request_takes_one_record_per_shard_per_pass_in_turn_up_to_the_count_and_starts_a_shard_later_next_time()
    {
        using var f = Fixture();
        foreach (var shard in new[] { "a", "b", "c" })
        {
            for (var i = 0; i < 3; i++)
            {
                f.Add(shard, 10, i);
            }
        }

        var planner = Planner(maxCount: 4);

        Assert.Equal(["a", "b", "c", "a"], Shards(planner.BuildBatch(f.Buffers, At(200))));
        Assert.Equal(["b", "c", "a", "b"], Shards(planner.BuildBatch(f.Buffers, At(200))));
        Assert.Equal(5 - 4, f.Buffers.ReadyCount);
        Assert.Equal(["c"], Shards(planner.BuildBatch(f.Buffers, At(200))));
        Assert.Equal(0, f.Buffers.ReadyBytes);
    }

    [Fact]
    public void A_request_stops_at_the_bytes_limit_but_a_larger_first_record_still_goes_alone()
    {
        using var f = Fixture();
        f.Add("a", 1999, 0); // 2,000 bytes, over the 1,000-byte limit
        f.Add("b", 399, 0);
        f.Add("c", 399, 0);
        f.Add("d", 399, 0);
        var planner = Planner(maxSize: 1000);

        Assert.Equal(["a"], Shards(planner.BuildBatch(f.Buffers, At(200))));
        Assert.Equal(["b", "c"], Shards(planner.BuildBatch(f.Buffers, At(200))));
        Assert.Equal(["d"], Shards(planner.BuildBatch(f.Buffers, At(200))));
    }

    [Fact]
    public void Each_shard_sends_its_oldest_record_first()
    {
        using var f = Fixture();
        var first = f.Add("a", 10, 0);
        var second = f.Add("a", 10, 1);
        var third = f.Add("a", 10, 2);

        var batch = Planner().BuildBatch(f.Buffers, At(200));

        Assert.Equal([first, second, third], batch.SelectMany(i => i.Records));
    }

    [Fact]
    public void In_ordered_mode_a_request_takes_one_record_per_shard_and_none_of_a_shard_with_a_request_in_flight()
    {
        using var f = Fixture();
        var a1 = f.Add("a", 10, 0);
        var a2 = f.Add("a", 10, 1);
        f.Add("b", 10, 0);
        f.Add("c", 10, 0);
        f.Shard("c").InFlight = true;
        var planner = Planner(ordered: true);

        var batch = planner.NextBatch(f.Buffers, At(200), flushing: false, inFlightRequests: 1);

        Assert.Equal(["a", "b"], Shards(batch));
        Assert.Equal([a1], batch![0].Records);
        Assert.True(f.Shard("a").InFlight && f.Shard("b").InFlight);

        // a's retry (or success) must finish before its newer record goes.
        Assert.Null(planner.NextBatch(f.Buffers, At(200), flushing: false, inFlightRequests: 2));
        f.Shard("a").InFlight = false;
        Assert.Equal([a2], planner.NextBatch(f.Buffers, At(200), flushing: false, inFlightRequests: 1)!.Single().Records);
    }

    [Fact]
    public void Without_ordering_a_shard_sends_several_records_per_request_and_stays_free()
    {
        using var f = Fixture();
        f.Add("a", 10, 0);
        f.Add("a", 10, 1);

        var batch = Planner().BuildBatch(f.Buffers, At(200));

        Assert.Equal(["a", "a"], Shards(batch));
        Assert.False(f.Shard("a").InFlight);
    }

    [Fact]
    public void A_rate_limited_shard_is_skipped_and_the_others_go()
    {
        // RateLimit 1 %: 10 Kinesis records a second per shard, starting full.
        using var f = Fixture(rateLimit: 1);
        for (var i = 0; i < 12; i++)
        {
            f.Add("a", 10, 0);
        }

        f.Add("b", 10, 0);
        var planner = Planner();

        var batch = planner.BuildBatch(f.Buffers, At(200));

        Assert.Equal(10, batch.Count(i => i.PredictedShardId == "a"));
        Assert.Equal(1, batch.Count(i => i.PredictedShardId == "b"));
        Assert.Equal(2, f.Shard("a").Ready.Count);
        Answered(f, batch, At(200));

        // The next token comes 100 ms later (the bucket rounds up to its next tick): nothing to send before, and
        // the loop sleeps until then.
        Assert.Null(planner.NextBatch(f.Buffers, At(200), flushing: false, inFlightRequests: 1));
        Assert.InRange(planner.NextWakeUp(f.Buffers, At(200), false, 1, false, long.MaxValue), TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(101));
        Assert.Equal(["a"], Shards(planner.NextBatch(f.Buffers, At(300), flushing: false, inFlightRequests: 1)));
    }

    [Fact]
    public void A_shards_budget_does_not_refill_while_its_records_are_on_their_way()
    {
        // RateLimit 1 %: 10 Kinesis records a second; all 10 go in the first request.
        using var f = Fixture(rateLimit: 1);
        for (var i = 0; i < 12; i++)
        {
            f.Add("a", 10, 0);
        }

        var planner = Planner();
        var batch = planner.BuildBatch(f.Buffers, At(200));
        Assert.Equal(10, batch.Count);

        // Unanswered, those 10 may still reach the shard at any moment: a second later nothing more may go, and the
        // loop sleeps until a message (the answer) wakes it rather than until a refill that cannot come.
        Assert.Null(planner.NextBatch(f.Buffers, At(1200), flushing: false, inFlightRequests: 1));
        Assert.Equal(BatchPlanner.SweepInterval, planner.NextWakeUp(f.Buffers, At(1200), false, 1, false, long.MaxValue));

        // Answered at 1.2 s: the budget refills from then on, not from when the records were planned.
        Answered(f, batch, At(1200));
        Assert.Null(planner.NextBatch(f.Buffers, At(1250), flushing: false, inFlightRequests: 0));
        Assert.Equal(["a"], Shards(planner.NextBatch(f.Buffers, At(1300), flushing: false, inFlightRequests: 0)));
    }

    [Fact]
    public void An_open_aggregate_of_a_shard_in_flight_sets_no_wake_up_until_the_shard_is_free()
    {
        using var f = new BufferFixture(new KinesisProducerOptions { PreserveShardOrder = true });
        f.Add("a", 10, 0);
        f.Shard("a").InFlight = true;
        var planner = Planner(ordered: true);

        // Its linger ran out at 100 ms, but it keeps filling: the loop sleeps until a message (the release) wakes it.
        Assert.Equal(BatchPlanner.MaxIdleWait, planner.NextWakeUp(f.Buffers, At(150), false, 1, false, long.MaxValue));

        f.Shard("a").InFlight = false;
        Assert.Equal(TimeSpan.FromMilliseconds(1), planner.NextWakeUp(f.Buffers, At(150), false, 0, false, long.MaxValue));
    }

    [Fact]
    public void No_request_goes_while_every_connection_is_busy()
    {
        using var f = Fixture();
        f.Add("a", 10, 0);
        var planner = Planner(maxConnections: 2);

        Assert.Null(planner.NextBatch(f.Buffers, At(200), flushing: true, inFlightRequests: 2));
        Assert.NotNull(planner.NextBatch(f.Buffers, At(200), flushing: true, inFlightRequests: 1));
    }

    public static TheoryData<string, double> WakeUps => new()
    {
        // case, expected wait in ms; "now" is 50 ms.
        { "open aggregate accepted at 20 ms: sealed at 120", 70 },
        { "ready record accepted at 30 ms: due at 130", 80 },
        { "ready record due already", 1 },
        { "ready record while flushing", 1 },
        { "ready record, connections all busy: only the sweep", 200 },
        { "ready record of a shard in flight: only the sweep", 200 },
        { "records waiting for a map: the sweep", 200 },
        { "map fetch retried at 60 ms", 10 },
        { "open aggregate at 20 ms and map retry at 500 ms", 70 },
        { "nothing", 1000 },
    };

    [Theory]
    [MemberData(nameof(WakeUps))]
    public void The_loop_wakes_at_the_earliest_deadline(string situation, double expectedMs)
    {
        using var f = new BufferFixture();
        var flushing = false;
        var inFlight = 0;
        var unrouted = false;
        var mapRetryAt = long.MaxValue;
        switch (situation)
        {
            case var s when s.StartsWith("open aggregate", StringComparison.Ordinal):
                f.Add("a", 10, 20);
                mapRetryAt = s.Contains("500", StringComparison.Ordinal) ? At(500) : long.MaxValue;
                break;
            case var s when s.StartsWith("ready record", StringComparison.Ordinal):
                f.Add("a", 10, s.Contains("due already", StringComparison.Ordinal) ? -60 : 30);
                f.Buffers.Seal(f.Shard("a"));
                flushing = s.Contains("flushing", StringComparison.Ordinal);
                inFlight = s.Contains("busy", StringComparison.Ordinal) ? 24 : 0;
                f.Shard("a").InFlight = s.Contains("in flight", StringComparison.Ordinal);
                break;
            case var s when s.StartsWith("records waiting", StringComparison.Ordinal):
                unrouted = true;
                break;
            case var s when s.StartsWith("map fetch", StringComparison.Ordinal):
                mapRetryAt = At(60);
                break;
        }

        var wait = Planner().NextWakeUp(f.Buffers, At(50), flushing, inFlight, unrouted, mapRetryAt);

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), wait);
    }

    [Fact]
    public void A_request_respects_every_limit_and_leaves_out_only_what_no_limit_allowed()
    {
        var shardRecords = Gen.Int[0, 6].Array[1, 12];
        var gen = Gen.Select(shardRecords, Gen.Int[1, 1200], Gen.Int[1, 20], Gen.Int[500, 4000], Gen.Bool, Gen.Int[1, 100], Gen.Bool.Array[12]);
        SeededCheck.ForAll(gen, c =>
        {
            var (counts, dataSeed, maxCount, maxSize, ordered, rateLimit, inFlight) = c;
            using var f = Fixture(rateLimit);
            var queued = new Dictionary<string, List<KinesisRecordItem>>();
            for (var s = 0; s < counts.Length; s++)
            {
                for (var i = 0; i < counts[s]; i++)
                {
                    f.Add($"s{s}", ((dataSeed * (s + 7) * (i + 3)) % 700) + 1, i);
                }

                if (counts[s] > 0)
                {
                    f.Shard($"s{s}").InFlight = ordered && inFlight[s];
                    queued[$"s{s}"] = [.. f.Shard($"s{s}").Ready];
                }
            }

            var readyBefore = f.Buffers.ReadyCount;
            var batch = Planner(maxCount, maxSize, ordered: ordered).BuildBatch(f.Buffers, At(200));

            Assert.InRange(batch.Count, 0, maxCount);
            Assert.True(batch.Count <= 1 || batch.Sum(i => (long)i.Size) <= maxSize, "over the bytes limit");
            Assert.Equal(readyBefore - batch.Count, f.Buffers.ReadyCount);
            foreach (var (shard, items) in queued)
            {
                var taken = batch.Where(i => i.PredictedShardId == shard).ToList();
                Assert.Equal(items.Take(taken.Count), taken);
                if (ordered)
                {
                    Assert.InRange(taken.Count, 0, inFlight[int.Parse(shard[1..], System.Globalization.CultureInfo.InvariantCulture)] ? 0 : 1);
                }

                // Whatever a shard kept back, a limit kept it: the request is full, the record would not fit,
                // the shard's rate limit is spent, or (ordered) the shard already has its one.
                if (f.Shard(shard).Ready.TryPeek(out var head) && !(ordered && (taken.Count == 1 || f.Shard(shard).InFlight && taken.Count == 0)))
                {
                    var bytes = batch.Sum(i => (long)i.Size);
                    Assert.True(
                        batch.Count == maxCount || (batch.Count > 0 && bytes + head.Size > maxSize) || f.Shard(shard).Limiter.TimeUntilAvailable(head.Size, At(200)) > TimeSpan.Zero,
                        $"shard {shard} kept a record no limit held back");
                }
            }
        });
    }
}
