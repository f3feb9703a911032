using Kinesis.Clients.Producer.Pipeline;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class RecordRouterTests
{
    private const int Data = 100;

    // The key space split in two, as SplitShard on the middle would leave it.
    private static readonly UInt128 Middle = UInt128.MaxValue / 2;
    private static readonly HashKey Low = new(1);
    private static readonly HashKey High = new(UInt128.MaxValue - 1);

    private static Shard Open(string id, UInt128 start, UInt128 end) => new(id, null, null, new HashKeyRange(new HashKey(start), new HashKey(end)), "0", null);

    private static ShardMap Whole() => new([Open("parent", UInt128.MinValue, UInt128.MaxValue)]);

    private static ShardMap Halves() => new([Open("low", UInt128.MinValue, Middle), Open("high", Middle + 1, UInt128.MaxValue)]);

    [Fact]
    public void Before_the_first_map_records_are_held_without_asking_for_one_and_routed_when_it_comes()
    {
        using var f = new BufferFixture();
        var refreshes = 0;
        var router = new RecordRouter(f.Buffers, () => refreshes++);

        router.Route(f.Record(Data, 0), Low, BufferFixture.Start);
        router.Route(f.Record(Data, 1), High, BufferFixture.Start);

        Assert.True(router.HasUnrouted);
        Assert.Equal(0, f.Buffers.Count);
        Assert.Equal(0, refreshes);

        router.OnMapRefreshed(Halves(), BufferFixture.Start);

        Assert.False(router.HasUnrouted);
        Assert.Single(f.Shard("low").Pending);
        Assert.Single(f.Shard("high").Pending);
    }

    [Fact]
    public void A_key_in_a_gap_of_the_map_is_held_and_a_newer_map_asked_for()
    {
        using var f = new BufferFixture();
        var refreshes = 0;
        var router = new RecordRouter(f.Buffers, () => refreshes++);
        router.OnMapRefreshed(new ShardMap([Open("low", UInt128.MinValue, Middle)]), BufferFixture.Start);

        router.Route(f.Record(Data, 0), High, BufferFixture.Start);

        Assert.True(router.HasUnrouted);
        Assert.Equal(1, refreshes);

        router.OnMapRefreshed(Halves(), BufferFixture.Start);

        Assert.False(router.HasUnrouted);
        Assert.Single(f.Shard("high").Pending);
    }

    [Fact]
    public void A_map_without_a_shard_moves_its_open_and_ready_records_to_the_shards_owning_their_keys()
    {
        using var f = new BufferFixture();
        var router = new RecordRouter(f.Buffers, () => { });
        router.OnMapRefreshed(Whole(), BufferFixture.Start);
        var sealedRecord = f.Record(Data, 0);
        var openRecord = f.Record(Data, 1);
        router.Route(sealedRecord, sealedRecord.ComputeHashKey(), BufferFixture.Start);
        f.Buffers.Seal(f.Shard("parent"));
        router.Route(openRecord, openRecord.ComputeHashKey(), BufferFixture.Start);

        router.OnMapRefreshed(Halves(), BufferFixture.Start);

        Assert.False(f.Buffers.TryGet("parent", out _));
        var owner = f.Shard(Halves().Route(sealedRecord.ComputeHashKey())!);
        Assert.Equal(2, owner.Pending.Count);
        Assert.Contains(sealedRecord, owner.Pending);
        Assert.Contains(openRecord, owner.Pending);
        Assert.Equal(0, f.Buffers.ReadyCount);
        Assert.False(sealedRecord.IsCompleted || openRecord.IsCompleted);
    }

    [Fact]
    public void Held_records_expire_at_their_deadline_and_not_before()
    {
        using var f = new BufferFixture();
        var router = new RecordRouter(f.Buffers, () => { });
        var early = f.Record(Data, 0);
        var late = f.Record(Data, 1_000);
        router.Route(early, Low, BufferFixture.Start);
        router.Route(late, High, BufferFixture.Start);
        var messages = new List<UserRecord>();

        router.ExpireUnrouted(early.Deadline - 1, r => { messages.Add(r); return "not yet"; });
        Assert.False(early.IsCompleted);

        router.ExpireUnrouted(early.Deadline, r => { messages.Add(r); return "expired"; });

        Assert.True(early.IsCompleted);
        Assert.False(late.IsCompleted);
        Assert.Equal([early], messages);
        Assert.True(router.HasUnrouted);
        router.FailUnrouted("TestOver", "The test is over.");
        Assert.True(late.IsCompleted);
        Assert.False(router.HasUnrouted);
    }
}
