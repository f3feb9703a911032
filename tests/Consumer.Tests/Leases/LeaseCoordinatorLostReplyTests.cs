using System.Collections.Concurrent;
using Kinesis.Clients.Consumer.Leases;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>
/// A write that reached the table but whose reply was lost, then retried by the SDK and refused: the coordinator
/// must not mistake its own write for another worker's.
/// </summary>
public sealed class LeaseCoordinatorLostReplyTests
{
    private const int Timeout = 30_000;

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryLeaseStore _table = new();
    private readonly LostReplyLeaseStore _store;
    private readonly ConcurrentQueue<string> _lost = new();
    private readonly LeaseCoordinator _worker;

    public LeaseCoordinatorLostReplyTests()
    {
        _store = new LostReplyLeaseStore(_table);
        _worker = new LeaseCoordinator(_store, new LeaseCoordinatorOptions
        {
            WorkerId = "a",
            TimeProvider = _time,
            OnLeaseLost = _lost.Enqueue,
        });
    }

    private async Task<Lease> HoldOneAsync()
    {
        await _table.CreateIfAbsentAsync(Lease.ForNewShard("s0", ExtendedSequenceNumber.TrimHorizon));
        await _worker.RunTakeRoundAsync();
        Assert.True(_worker.TryGetHeldLease("s0", out var held));
        return held;
    }

    [Fact(Timeout = Timeout)]
    public async Task A_renewal_whose_reply_was_lost_keeps_the_lease_without_a_second_write()
    {
        await HoldOneAsync();
        _store.LoseNextReply("Renew");

        await _worker.RunRenewalRoundAsync();

        Assert.True(_worker.TryGetHeldLease("s0", out var held));
        Assert.Equal(2, held.LeaseCounter);
        Assert.Equal(held, await _table.GetAsync("s0"));
        Assert.Empty(_lost);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_checkpoint_applied_twice_succeeds()
    {
        await HoldOneAsync();
        _store.LoseNextReply("UpdateCheckpoint");

        Assert.True(await _worker.TryCheckpointAsync("s0", new ExtendedSequenceNumber("9")));

        var row = await _table.GetAsync("s0");
        Assert.Equal((new ExtendedSequenceNumber("9"), "a"), (row!.Checkpoint, row.LeaseOwner));
        Assert.Equal(row, _worker.HeldLeases.Single());
        Assert.Empty(_lost);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_release_applied_twice_counts_as_released()
    {
        await HoldOneAsync();
        _store.LoseNextReply("Release");

        Assert.Equal(1, await _worker.ReleaseAllAsync());

        Assert.Null((await _table.GetAsync("s0"))!.LeaseOwner);
        Assert.Empty(_worker.HeldLeases);
        Assert.Empty(_lost);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_take_whose_reply_was_lost_is_adopted_in_the_same_round()
    {
        await _table.CreateIfAbsentAsync(Lease.ForNewShard("s0", ExtendedSequenceNumber.TrimHorizon));
        _store.LoseNextReply("Take");

        await _worker.RunTakeRoundAsync();

        Assert.True(_worker.TryGetHeldLease("s0", out var held));
        Assert.Equal((1L, 0L, "a"), (held.LeaseCounter, held.OwnerSwitchesSinceCheckpoint, held.LeaseOwner));
        Assert.Equal(held, await _table.GetAsync("s0"));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_row_another_worker_took_is_still_a_loss()
    {
        var held = await HoldOneAsync();
        await _table.TakeAsync(held, "b");

        await _worker.RunRenewalRoundAsync();

        Assert.Empty(_worker.HeldLeases);
        Assert.Equal(["s0"], _lost);
    }
}
