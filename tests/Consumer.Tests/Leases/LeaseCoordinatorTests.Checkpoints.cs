using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>Checkpoints through the coordinator: written fenced on the held lease, refused once its own clock says the lease is gone.</summary>
public sealed partial class LeaseCoordinatorTests
{
    [Fact(Timeout = Timeout)]
    public async Task A_checkpoint_after_the_failover_time_by_the_workers_own_clock_is_refused_without_writing()
    {
        await ShardsAsync(1);
        var a = Worker("a");
        await a.RunTakeRoundAsync();
        var before = await RowAsync("s0");

        _time.Advance(Failover);

        Assert.False(await a.TryCheckpointAsync("s0", new ExtendedSequenceNumber("42")));
        Assert.Equal(before, await RowAsync("s0"));
        Assert.Equal(["a took s0", "a lost s0"], _events);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_checkpoint_on_a_lease_another_worker_took_fails_and_reports_the_loss()
    {
        await ShardsAsync(1);
        var a = Worker("a");
        await a.RunTakeRoundAsync();
        var stolen = await _store.TakeAsync(await RowAsync("s0"), "b");

        Assert.False(await a.TryCheckpointAsync("s0", new ExtendedSequenceNumber("42")));

        Assert.Equal(stolen, await RowAsync("s0"));
        Assert.Empty(a.HeldLeases);
        Assert.Equal(["a took s0", "a lost s0"], _events);
        Assert.False(await a.TryCheckpointAsync("s0", new ExtendedSequenceNumber("43")));
        Assert.Equal(2, _events.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_checkpoint_is_written_fenced_and_counts_as_a_renewal()
    {
        await ShardsAsync(1);
        var a = Worker("a");
        await a.RunTakeRoundAsync();
        _time.Advance(TimeSpan.FromSeconds(9));

        Assert.True(await a.TryCheckpointAsync("s0", new ExtendedSequenceNumber("42", 3)));

        var row = await RowAsync("s0");
        Assert.Equal((new ExtendedSequenceNumber("42", 3), 2L), (row.Checkpoint, row.LeaseCounter));
        Assert.True(a.TryGetHeldLease("s0", out var held));
        Assert.Equal(row, held);

        // 18 s after the take but 9 s after the checkpoint: still held, and renewable.
        _time.Advance(TimeSpan.FromSeconds(9));
        await a.RunRenewalRoundAsync();
        Assert.Equal(3, (await RowAsync("s0")).LeaseCounter);
        Assert.Equal(["a took s0"], _events);
    }

    [Fact(Timeout = Timeout)]
    public async Task Two_phase_checkpoints_and_child_shards_go_through_the_held_lease()
    {
        await ShardsAsync(1);
        var a = Worker("a");
        await a.RunTakeRoundAsync();

        Assert.True(await a.TryPrepareCheckpointAsync("s0", new ExtendedSequenceNumber("7"), [1, 2]));
        Assert.True(await a.TryCheckpointAsync("s0", ExtendedSequenceNumber.ShardEnd));
        Assert.True(await a.TryUpdateChildShardsAsync("s0", ["s1", "s2"]));

        var row = await RowAsync("s0");
        Assert.True(row.IsFinished);
        Assert.Null(row.PendingCheckpoint);
        Assert.Equal(["s1", "s2"], row.ChildShardIds.Order(StringComparer.Ordinal));
        Assert.Equal(4, row.LeaseCounter);
        Assert.False(await a.TryCheckpointAsync("not-held", ExtendedSequenceNumber.ShardEnd));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_write_whose_reply_was_lost_is_recognised_as_this_workers_own()
    {
        await ShardsAsync(1);
        var a = Worker("a");
        await a.RunTakeRoundAsync();
        a.TryGetHeldLease("s0", out var held);
        // A renewal that reached the table but whose reply never came back: the row is one ahead of a's copy.
        await _store.RenewAsync(held!);

        Assert.True(await a.TryCheckpointAsync("s0", new ExtendedSequenceNumber("5")));

        var row = await RowAsync("s0");
        Assert.Equal((new ExtendedSequenceNumber("5"), 3L, "a"), (row.Checkpoint, row.LeaseCounter, row.LeaseOwner));
        Assert.Equal(["a took s0"], _events);
    }
}
