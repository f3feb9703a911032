using CsCheck;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Pipeline;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class ShardBuffersTests
{
    private const int Data = 100;

    [Fact]
    public void Without_aggregation_each_record_is_ready_at_once_and_due_a_linger_after_its_acceptance()
    {
        using var f = new BufferFixture(new KinesisProducerOptions { AggregationEnabled = false });

        f.Add("s1", Data, 0);
        f.Add("s1", Data, 30);

        var ready = f.Shard("s1").Ready.ToArray();
        Assert.Equal(2, f.Buffers.ReadyCount);
        Assert.Equal(2 * (Data + 1), f.Buffers.ReadyBytes);
        Assert.Equal([BufferFixture.At(100), BufferFixture.At(130)], ready.Select(r => r.DueAt));
        Assert.All(ready, r => Assert.False(r.IsAggregated));
    }

    [Theory]
    [InlineData(99.999, false)]
    [InlineData(100, true)]
    [InlineData(250, true)]
    public void An_open_aggregate_is_sealed_when_its_oldest_record_has_waited_the_linger(double nowMs, bool sealedThen)
    {
        using var f = new BufferFixture();
        f.Add("s1", Data, 0);
        f.Add("s1", Data, 40);

        f.Buffers.SealDue(BufferFixture.At(nowMs), all: false);

        Assert.Equal(sealedThen ? 1 : 0, f.Buffers.ReadyCount);
        Assert.Equal(sealedThen ? 0 : 2, f.Shard("s1").Pending.Count);
        Assert.Equal(BufferFixture.At(100), sealedThen ? f.Shard("s1").Ready.Peek().DueAt : f.Buffers.SealAt(f.Shard("s1")));
    }

    [Fact]
    public void A_flush_seals_every_open_aggregate_whatever_its_age()
    {
        using var f = new BufferFixture();
        f.Add("s1", Data, 0);
        f.Add("s2", Data, 50);

        f.Buffers.SealDue(BufferFixture.At(1), all: true);

        Assert.Equal(2, f.Buffers.ReadyCount);
        Assert.True(f.Shard("s1").Pending.Count == 0 && f.Shard("s2").Pending.Count == 0);
    }

    [Fact]
    public void A_shard_with_a_request_in_flight_keeps_filling_its_open_aggregate_past_the_linger_and_seals_it_once_free()
    {
        using var f = new BufferFixture();
        f.Add("busy", Data, 0);
        f.Add("free", Data, 0);
        f.Shard("busy").InFlight = true;

        f.Buffers.SealDue(BufferFixture.At(150), all: false);
        f.Add("busy", Data, 160);
        f.Buffers.SealDue(BufferFixture.At(300), all: true);

        Assert.Equal(2, f.Shard("busy").Pending.Count);
        Assert.Empty(f.Shard("busy").Ready);
        Assert.Single(f.Shard("free").Ready);

        // Free again: one aggregate of both records, due since its first record's linger ran out.
        f.Shard("busy").InFlight = false;
        f.Buffers.SealDue(BufferFixture.At(300), all: false);

        var sealedThen = Assert.Single(f.Shard("busy").Ready);
        Assert.Equal(2, sealedThen.Records.Length);
        Assert.Equal(BufferFixture.At(100), sealedThen.DueAt);
    }

    [Fact]
    public void A_sealed_aggregate_carries_its_records_in_order_with_their_sizes_and_earliest_acceptance()
    {
        using var f = new BufferFixture();
        var records = new[] { f.Add("s1", 10, 5), f.Add("s1", 20, 7), f.Add("s1", 30, 9) };

        f.Buffers.Seal(f.Shard("s1"));

        var item = Assert.Single(f.Shard("s1").Ready);
        Assert.Equal(records, item.Records);
        Assert.Equal(3, item.UserRecordCount);
        Assert.Equal(60, item.UserDataBytes);
        Assert.True(item.IsAggregated);
        Assert.Equal(BufferFixture.At(105), item.DueAt);
        Assert.Equal(f.Stream.Producer.DeadlineOf(BufferFixture.At(5)), item.Deadline);
        Assert.Equal(item.Size, f.Buffers.ReadyBytes);
    }

    [Theory]
    [InlineData(0.5, true)]
    [InlineData(1.0, false)]
    public void An_aggregate_with_less_room_left_than_its_last_record_took_is_sealed_at_once(double roomInRecords, bool sealedAtOnce)
    {
        // The size of an aggregate of three records, plus room for half a record more (or for a whole one).
        var probe = new AggregateBuilder();
        probe.TryAdd("k", null, new byte[Data]);
        probe.TryAdd("k", null, new byte[Data]);
        var two = probe.EncodedSize;
        probe.TryAdd("k", null, new byte[Data]);
        var three = probe.EncodedSize;
        var maxSize = three + (int)((three - two) * roomInRecords);
        using var f = new BufferFixture(new KinesisProducerOptions { AggregationMaxSize = maxSize });

        f.Add("s1", Data, 0);
        f.Add("s1", Data, 1);
        Assert.Equal(0, f.Buffers.ReadyCount);
        f.Add("s1", Data, 2);

        Assert.Equal(sealedAtOnce ? 1 : 0, f.Buffers.ReadyCount);
        Assert.Equal(sealedAtOnce ? 0 : 3, f.Shard("s1").Pending.Count);
    }

    [Fact]
    public void An_aggregate_at_AggregationMaxCount_is_sealed_at_once()
    {
        using var f = new BufferFixture(new KinesisProducerOptions { AggregationMaxCount = 4 });

        for (var i = 0; i < 9; i++)
        {
            f.Add("s1", Data, i);
        }

        Assert.Equal([4, 4], f.Shard("s1").Ready.Select(r => r.UserRecordCount));
        Assert.Single(f.Shard("s1").Pending);
    }

    [Fact]
    public void A_record_that_does_not_fit_seals_the_open_aggregate_first_and_each_keeps_its_own_due_time()
    {
        var probe = new AggregateBuilder();
        probe.TryAdd("k", null, new byte[Data]);
        using var f = new BufferFixture(new KinesisProducerOptions { AggregationMaxSize = probe.EncodedSize + (2 * Data) });
        var small = f.Add("s1", Data, 0);
        Assert.Equal(0, f.Buffers.ReadyCount);

        var big = f.Add("s1", 5 * Data / 2, 60);

        Assert.Equal([[small], [big]], f.Shard("s1").Ready.Select(r => r.Records));
        Assert.Equal([BufferFixture.At(100), BufferFixture.At(160)], f.Shard("s1").Ready.Select(r => r.DueAt));
        Assert.Empty(f.Shard("s1").Pending);
    }

    [Fact]
    public void Closed_shards_give_back_their_open_and_ready_records_unless_a_request_of_theirs_is_in_flight()
    {
        using var f = new BufferFixture();
        var ready = f.Add("closed", Data, 0);
        f.Buffers.Seal(f.Shard("closed"));
        var open = f.Add("closed", Data, 1);
        f.Add("busy", Data, 2);
        f.Shard("busy").InFlight = true;
        f.Add("kept", Data, 3);

        var moved = f.Buffers.RemoveClosed(id => id == "kept");

        Assert.Equal([open, ready], moved);
        Assert.False(f.Buffers.TryGet("closed", out _));
        Assert.True(f.Buffers.TryGet("busy", out _));
        Assert.Equal(0, f.Buffers.ReadyCount);
        Assert.Equal(0, f.Buffers.ReadyBytes);
        Assert.Null(f.Buffers.RemoveClosed(_ => true));
    }

    [Fact]
    public void Expired_ready_records_are_taken_out_and_the_others_keep_their_order()
    {
        var ttl = TimeSpan.FromSeconds(1);
        using var f = new BufferFixture(new KinesisProducerOptions { AggregationEnabled = false, RecordTtl = ttl });
        var a = f.Add("s1", Data, 0);
        var b = f.Add("s1", Data, 500);
        var c = f.Add("s1", Data, 10);
        var d = f.Add("s1", Data, 900);

        var expired = new List<KinesisRecordItem>();
        f.Buffers.TakeExpired(BufferFixture.At(1000 + 10), expired);

        Assert.Equal([a, c], expired.SelectMany(e => e.Records));
        Assert.Equal([b, d], f.Shard("s1").Ready.SelectMany(e => e.Records));
        Assert.Equal(2, f.Buffers.ReadyCount);
        Assert.Equal(2 * (Data + 1), f.Buffers.ReadyBytes);
    }

    [Fact]
    public void Every_record_added_is_held_once_in_order_and_the_ready_totals_match_what_is_ready()
    {
        var step = Gen.Select(Gen.Int[0, 3], Gen.Int[0, 400], Gen.Int[0, 9]);
        SeededCheck.ForAll(Gen.Select(step.Array[1, 120], Gen.Int[1, 6], Gen.Bool), c =>
        {
            var (steps, maxCount, aggregate) = c;
            using var f = new BufferFixture(new KinesisProducerOptions
            {
                AggregationEnabled = aggregate,
                AggregationMaxSize = 1024,
                AggregationMaxCount = maxCount,
            });
            var added = new Dictionary<string, List<UserRecord>>();
            var t = 0.0;
            foreach (var (shard, size, action) in steps)
            {
                var id = $"s{shard}";
                t += 1;
                if (action == 0)
                {
                    f.Buffers.SealDue(BufferFixture.At(t), all: false);
                    continue;
                }

                var record = f.Add(id, size, t);
                (added.TryGetValue(id, out var list) ? list : added[id] = []).Add(record);
            }

            var readyCount = 0;
            long readyBytes = 0;
            for (var i = 0; i < f.Buffers.Count; i++)
            {
                var buffer = f.Buffers[i];
                var held = buffer.Ready.SelectMany(r => r.Records).Concat(buffer.Pending).ToList();
                Assert.Equal(added[buffer.ShardId], held);
                Assert.All(buffer.Ready, r => Assert.InRange(r.UserRecordCount, 1, maxCount));
                readyCount += buffer.Ready.Count;
                readyBytes += buffer.Ready.Sum(r => (long)r.Size);
            }

            Assert.Equal(readyCount, f.Buffers.ReadyCount);
            Assert.Equal(readyBytes, f.Buffers.ReadyBytes);
        });
    }
}
