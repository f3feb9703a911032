using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>Checkpoints, child shards and deletes as every <see cref="ILeaseStore"/> must write them: fenced, or as observed.</summary>
public abstract partial class LeaseStoreContract
{
    [Fact(Timeout = Timeout)]
    public async Task A_checkpoint_sets_the_position_resets_owner_switches_and_clears_the_pending_one()
    {
        var held = EveryField();
        var store = await StoreWithAsync(held);
        var position = new ExtendedSequenceNumber("49590338271490256608559692538361571095921575989136589000", 7);

        var checkpointed = await store.UpdateCheckpointAsync(held, position);

        Assert.Equal(
            held with
            {
                Checkpoint = position,
                OwnerSwitchesSinceCheckpoint = 0,
                PendingCheckpoint = null,
                PendingCheckpointState = null,
                LeaseCounter = 43,
            },
            checkpointed);
        Assert.Equal(checkpointed, await RowAsync(store, held.LeaseKey));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_checkpoint_is_fenced_on_counter_and_owner()
    {
        var store = await StoreWithAsync(Owned("worker-a", 7));

        Assert.Null(await store.UpdateCheckpointAsync(Owned("worker-a", 6), ExtendedSequenceNumber.ShardEnd));
        Assert.Null(await store.UpdateCheckpointAsync(Owned("worker-b", 7), ExtendedSequenceNumber.ShardEnd));
        Assert.Equal(Owned("worker-a", 7), await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Preparing_a_checkpoint_records_it_as_pending_with_its_state()
    {
        var held = Owned("worker-a", 7) with { Checkpoint = new ExtendedSequenceNumber("100") };
        var store = await StoreWithAsync(held);
        var pending = new ExtendedSequenceNumber("200", 2);

        var prepared = await store.PrepareCheckpointAsync(held, pending, [9, 8, 7]);

        Assert.Equal(held with { PendingCheckpoint = pending, PendingCheckpointState = [9, 8, 7], LeaseCounter = 8 }, prepared);
        Assert.Equal(prepared, await RowAsync(store));

        var withoutState = await store.PrepareCheckpointAsync(prepared!, new ExtendedSequenceNumber("300"), null);

        Assert.Equal(held with { PendingCheckpoint = new ExtendedSequenceNumber("300"), LeaseCounter = 9 }, withoutState);
        Assert.Equal(withoutState, await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Preparing_a_checkpoint_is_fenced_on_counter_and_owner()
    {
        var store = await StoreWithAsync(Owned("worker-a", 7));

        Assert.Null(await store.PrepareCheckpointAsync(Owned("worker-a", 8), new ExtendedSequenceNumber("1"), [1]));
        Assert.Null(await store.PrepareCheckpointAsync(Owned("worker-c", 7), new ExtendedSequenceNumber("1"), [1]));
        Assert.Equal(Owned("worker-a", 7), await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Child_shards_are_recorded_fenced()
    {
        var held = Owned("worker-a", 7) with { Checkpoint = ExtendedSequenceNumber.ShardEnd };
        var store = await StoreWithAsync(held);

        Assert.Null(await store.UpdateChildShardsAsync(held with { LeaseCounter = 6 }, ["shardId-000000000005"]));
        var updated = await store.UpdateChildShardsAsync(held, ["shardId-000000000005", "shardId-000000000006"]);

        Assert.Equal(held with { ChildShardIds = Lease.ToSet(["shardId-000000000006", "shardId-000000000005"]), LeaseCounter = 8 }, updated);
        Assert.Equal(updated, await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Deleting_reports_whether_there_was_a_lease()
    {
        var store = await StoreWithAsync(Owned("worker-a", 7));

        Assert.True(await store.DeleteAsync(Owned("worker-a", 7)));
        Assert.False(await store.DeleteAsync(Owned("worker-a", 7)));
        Assert.Null(await store.GetAsync(Key));
        Assert.Empty(await store.ListAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task Deleting_an_unowned_lease_as_observed_deletes_it()
    {
        var store = await StoreWithAsync(Unowned());

        Assert.True(await store.DeleteAsync(Unowned()));
        Assert.Empty(await store.ListAsync());
    }

    [Theory(Timeout = Timeout)]
    [InlineData("counter")]
    [InlineData("owner")]
    [InlineData("no owner")]
    [InlineData("checkpoint")]
    public async Task Deleting_a_lease_that_changed_since_it_was_observed_leaves_it(string change)
    {
        var row = Owned("worker-a", 7);
        var store = await StoreWithAsync(row);
        var observed = change switch
        {
            "counter" => row with { LeaseCounter = 6 },
            "owner" => row with { LeaseOwner = "worker-b" },
            "no owner" => row with { LeaseOwner = null },
            _ => row with { Checkpoint = ExtendedSequenceNumber.ShardEnd },
        };

        Assert.False(await store.DeleteAsync(observed));
        Assert.Equal(row, await RowAsync(store));
    }
}
