using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>The KCL 3.x graceful handoff (<c>checkpointOwner</c>) as every <see cref="ILeaseStore"/> must keep it.</summary>
public abstract partial class LeaseStoreContract
{
    [Fact(Timeout = Timeout)]
    public async Task A_handoff_fails_the_holders_fenced_write_and_the_holder_may_renew_and_checkpoint_the_row_as_it_now_is()
    {
        var held = Owned("worker-a", 7);
        var store = await StoreWithAsync(held);
        await InitiateHandoffAsync(store, Key, "worker-a", "worker-b");

        Assert.Null(await store.RenewAsync(held));
        var row = await RowAsync(store);
        Assert.Equal(held with { LeaseOwner = "worker-b", CheckpointOwner = "worker-a" }, row);
        Assert.Equal("worker-a", row.ActualOwner);

        var renewed = await store.RenewAsync(row);
        Assert.Equal(row with { LeaseCounter = 8 }, renewed);
        var checkpoint = new ExtendedSequenceNumber("49590338271490256608559692538361571095921575989136588898", 2);
        var checkpointed = await store.UpdateCheckpointAsync(renewed!, checkpoint);
        Assert.Equal(renewed! with { Checkpoint = checkpoint, LeaseCounter = 9 }, checkpointed);
        Assert.Null(await store.RenewAsync(held with { LeaseCounter = 9 }));
        Assert.Equal(checkpointed, await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Releasing_during_a_handoff_transfers_the_lease_to_the_named_next_owner()
    {
        var store = await StoreWithAsync(Owned("worker-a", 7));
        await InitiateHandoffAsync(store, Key, "worker-a", "worker-b");
        var row = await RowAsync(store);

        var transferred = await store.ReleaseAsync(row);

        Assert.Equal(Owned("worker-b", 8), transferred);
        Assert.Equal(transferred, await RowAsync(store));
    }

    [Theory(Timeout = Timeout)]
    [InlineData("worker-c", 1)]
    [InlineData("worker-b", 0)]
    [InlineData("worker-a", 1)]
    public async Task A_take_ends_a_handoff_by_removing_the_checkpoint_owner(string taker, long addedSwitches)
    {
        var store = await StoreWithAsync(Owned("worker-a", 7));
        await InitiateHandoffAsync(store, Key, "worker-a", "worker-b");
        var row = await RowAsync(store);

        var taken = await store.TakeAsync(row, taker);

        Assert.Equal(Owned(taker, 8) with { OwnerSwitchesSinceCheckpoint = addedSwitches }, taken);
        Assert.Equal(taken, await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Evicting_during_a_handoff_removes_only_the_checkpoint_owner()
    {
        var store = await StoreWithAsync(Owned("worker-a", 7));
        await InitiateHandoffAsync(store, Key, "worker-a", "worker-b");
        var row = await RowAsync(store);

        Assert.Null(await store.EvictAsync(row with { CheckpointOwner = null }));
        var evicted = await store.EvictAsync(row);

        Assert.Equal(Owned("worker-b", 8), evicted);
    }
}
