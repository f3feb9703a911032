using System.Globalization;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>
/// What every <see cref="ILeaseStore"/> must do, run against DynamoDB (dynalite) and the in-memory store alike,
/// so the fake cannot drift from the real table.
/// </summary>
public abstract partial class LeaseStoreContract
{
    private const int Timeout = 30_000;
    private const string Key = "shardId-000000000001";

    /// <summary>A store over a new, empty table; created unless asked not to.</summary>
    internal abstract Task<ILeaseStore> NewStoreAsync(bool createTable = true);

    /// <summary>
    /// Writes what a KCL 3.x leader writes to start a graceful handoff (DynamoDBLeaseRefresher's
    /// initiateGracefulLeaseHandoff): <c>leaseOwner</c> the next owner, <c>checkpointOwner</c> the current one, the
    /// counter untouched.
    /// </summary>
    internal abstract Task InitiateHandoffAsync(ILeaseStore store, string leaseKey, string currentOwner, string nextOwner);

    private static Lease Unowned(string key = Key) => Lease.ForNewShard(key, ExtendedSequenceNumber.TrimHorizon);

    private static Lease Owned(string owner, long counter = 1, string key = Key) =>
        Unowned(key) with { LeaseOwner = owner, LeaseCounter = counter };

    private static Lease EveryField() => new()
    {
        LeaseKey = "shardId-000000000007",
        LeaseOwner = "worker-a",
        LeaseCounter = 42,
        Checkpoint = new ExtendedSequenceNumber("49590338271490256608559692538361571095921575989136588898", 3),
        PendingCheckpoint = new ExtendedSequenceNumber("49590338271490256608559692538361571095921575989136588999", 1),
        PendingCheckpointState = [0, 1, 2, 250, 255],
        OwnerSwitchesSinceCheckpoint = 5,
        ParentShardIds = Lease.ToSet(["shardId-000000000002", "shardId-000000000003"]),
        ChildShardIds = Lease.ToSet(["shardId-000000000009", "shardId-000000000010"]),
        HashKeyRange = HashKeyRange.Parse("85070591730234615865843651857942052864", "170141183460469231731687303715884105727"),
    };

    private async Task<ILeaseStore> StoreWithAsync(params Lease[] leases)
    {
        var store = await NewStoreAsync();
        foreach (var lease in leases)
        {
            Assert.NotNull(await store.CreateIfAbsentAsync(lease));
        }

        return store;
    }

    private static async Task<Lease> RowAsync(ILeaseStore store, string key = Key) =>
        await store.GetAsync(key) ?? throw new InvalidOperationException($"Lease {key} is gone.");

    [Fact(Timeout = Timeout)]
    public async Task Creating_the_table_twice_creates_it_once()
    {
        var store = await NewStoreAsync(createTable: false);

        Assert.True(await store.CreateTableIfNotExistsAsync());
        Assert.False(await store.CreateTableIfNotExistsAsync());
        Assert.Empty(await store.ListAsync());
    }

    [Fact(Timeout = Timeout)]
    public async Task A_lease_with_every_field_reads_back_as_written()
    {
        var lease = EveryField();
        var store = await NewStoreAsync();

        Assert.Equal(lease, await store.CreateIfAbsentAsync(lease));
        Assert.Equal(lease, await RowAsync(store, lease.LeaseKey));
        Assert.Equal(lease, Assert.Single(await store.ListAsync()));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_new_shard_lease_reads_back_unowned_at_its_initial_position()
    {
        var lease = Lease.ForNewShard("shardId-000000000004", ExtendedSequenceNumber.Latest, ["shardId-000000000001"]);
        var store = await StoreWithAsync(lease);

        var row = await RowAsync(store, lease.LeaseKey);
        Assert.Equal(lease, row);
        Assert.Null(row.LeaseOwner);
        Assert.Equal(0, row.LeaseCounter);
        Assert.Empty(row.ChildShardIds);
        Assert.Null(row.PendingCheckpoint);
        Assert.Null(row.PendingCheckpointState);
        Assert.Null(row.HashKeyRange);
    }

    [Fact(Timeout = Timeout)]
    public async Task Creating_a_lease_that_exists_returns_null_and_leaves_it_alone()
    {
        var store = await StoreWithAsync(Owned("worker-a", 9));

        Assert.Null(await store.CreateIfAbsentAsync(Unowned()));
        Assert.Equal(Owned("worker-a", 9), await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Getting_a_missing_lease_returns_null()
    {
        var store = await NewStoreAsync();

        Assert.Null(await store.GetAsync("shardId-000000000404"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Listing_returns_every_lease_across_pages()
    {
        var leases = Enumerable.Range(0, 23)
            .Select(i => Owned($"worker-{i % 3}", i, $"shardId-{i.ToString("D12", CultureInfo.InvariantCulture)}"))
            .ToArray();
        var store = await StoreWithAsync(leases);

        var listed = await store.ListAsync();

        Assert.Equal(leases.OrderBy(l => l.LeaseKey, StringComparer.Ordinal), listed.OrderBy(l => l.LeaseKey, StringComparer.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task Renewing_adds_one_to_the_counter_and_changes_nothing_else()
    {
        var held = EveryField();
        var store = await StoreWithAsync(held);

        var renewed = await store.RenewAsync(held);

        Assert.Equal(held with { LeaseCounter = 43 }, renewed);
        Assert.Equal(renewed, await RowAsync(store, held.LeaseKey));
    }

    [Fact(Timeout = Timeout)]
    public async Task Renewing_with_a_stale_counter_fails_and_changes_nothing()
    {
        var store = await StoreWithAsync(Owned("worker-a", 5));

        Assert.Null(await store.RenewAsync(Owned("worker-a", 4)));
        Assert.Equal(Owned("worker-a", 5), await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Renewing_a_lease_another_worker_owns_fails_even_with_its_counter()
    {
        var store = await StoreWithAsync(Owned("worker-a", 5));

        Assert.Null(await store.RenewAsync(Owned("worker-b", 5)));
        Assert.Equal(Owned("worker-a", 5), await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Renewing_a_deleted_lease_fails_without_bringing_it_back()
    {
        var store = await StoreWithAsync(Owned("worker-a", 5));
        Assert.True(await store.DeleteAsync(Owned("worker-a", 5)));

        Assert.Null(await store.RenewAsync(Owned("worker-a", 5)));
        Assert.Null(await store.GetAsync(Key));
    }

    [Fact(Timeout = Timeout)]
    public async Task Taking_an_unowned_lease_sets_the_owner_without_counting_a_switch()
    {
        var observed = Unowned() with { LeaseCounter = 3, OwnerSwitchesSinceCheckpoint = 2 };
        var store = await StoreWithAsync(observed);

        var taken = await store.TakeAsync(observed, "worker-b");

        Assert.Equal(observed with { LeaseOwner = "worker-b", LeaseCounter = 4 }, taken);
        Assert.Equal(taken, await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Taking_from_another_owner_counts_an_owner_switch()
    {
        var observed = Owned("worker-a", 7) with { OwnerSwitchesSinceCheckpoint = 2 };
        var store = await StoreWithAsync(observed);

        var taken = await store.TakeAsync(observed, "worker-b");

        Assert.Equal(observed with { LeaseOwner = "worker-b", LeaseCounter = 8, OwnerSwitchesSinceCheckpoint = 3 }, taken);
        Assert.Equal(taken, await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Taking_back_a_lease_already_owned_counts_no_switch()
    {
        var observed = Owned("worker-a", 7);
        var store = await StoreWithAsync(observed);

        var taken = await store.TakeAsync(observed, "worker-a");

        Assert.Equal(observed with { LeaseCounter = 8 }, taken);
    }

    [Fact(Timeout = Timeout)]
    public async Task Taking_with_a_stale_counter_fails_and_changes_nothing()
    {
        var store = await StoreWithAsync(Owned("worker-a", 7));

        Assert.Null(await store.TakeAsync(Owned("worker-a", 6), "worker-b"));
        Assert.Equal(Owned("worker-a", 7), await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Of_many_workers_taking_one_observed_lease_at_once_exactly_one_wins()
    {
        var observed = Owned("worker-dead", 11);
        var store = await StoreWithAsync(observed);

        var results = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Task.Run(() => store.TakeAsync(observed, $"worker-{i}"))));

        var winner = Assert.Single(results, r => r is not null);
        Assert.Equal(12, winner!.LeaseCounter);
        Assert.Equal(winner, await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Evicting_removes_the_owner_whatever_the_counter()
    {
        var store = await StoreWithAsync(Owned("worker-a", 7));

        var evicted = await store.EvictAsync(Owned("worker-a", 2));

        Assert.Equal(Unowned() with { LeaseCounter = 8 }, evicted);
        Assert.Equal(evicted, await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task Evicting_fails_when_the_owner_is_another_or_none()
    {
        var store = await StoreWithAsync(Owned("worker-a", 7), Unowned("shardId-000000000002"));

        Assert.Null(await store.EvictAsync(Owned("worker-b", 7)));
        Assert.Null(await store.EvictAsync(Unowned("shardId-000000000002")));
        Assert.Equal(Owned("worker-a", 7), await RowAsync(store));
        Assert.Equal(Unowned("shardId-000000000002"), await RowAsync(store, "shardId-000000000002"));
    }

    [Fact(Timeout = Timeout)]
    public async Task Releasing_a_held_lease_removes_its_owner()
    {
        var held = EveryField();
        var store = await StoreWithAsync(held);

        var released = await store.ReleaseAsync(held);

        Assert.Equal(held with { LeaseOwner = null, LeaseCounter = 43 }, released);
        Assert.Equal(released, await RowAsync(store, held.LeaseKey));
    }

    [Fact(Timeout = Timeout)]
    public async Task Releasing_is_fenced_on_counter_and_owner()
    {
        var store = await StoreWithAsync(Owned("worker-a", 7));

        Assert.Null(await store.ReleaseAsync(Owned("worker-a", 6)));
        Assert.Null(await store.ReleaseAsync(Owned("worker-b", 7)));
        Assert.Equal(Owned("worker-a", 7), await RowAsync(store));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_holder_chain_of_writes_moves_the_counter_one_step_each()
    {
        var store = await StoreWithAsync(Unowned());

        var taken = await store.TakeAsync(Unowned(), "worker-a");
        var renewed = await store.RenewAsync(taken!);
        var prepared = await store.PrepareCheckpointAsync(renewed!, new ExtendedSequenceNumber("5"), null);
        var checkpointed = await store.UpdateCheckpointAsync(prepared!, new ExtendedSequenceNumber("5"));
        var released = await store.ReleaseAsync(checkpointed!);

        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, new[] { taken, renewed, prepared, checkpointed, released }.Select(l => l!.LeaseCounter));
        Assert.Equal(Unowned() with { LeaseCounter = 5, Checkpoint = new ExtendedSequenceNumber("5") }, await RowAsync(store));
        Assert.Null(await store.RenewAsync(checkpointed!));
    }

    [Fact(Timeout = Timeout)]
    public async Task Writes_reject_bad_arguments_before_sending()
    {
        var store = await StoreWithAsync(Unowned());

        var unowned = await Assert.ThrowsAsync<ArgumentException>(() => store.RenewAsync(Unowned()));
        Assert.Equal("held", unowned.ParamName);
        await Assert.ThrowsAsync<ArgumentException>(() => store.UpdateCheckpointAsync(Unowned(), ExtendedSequenceNumber.Latest));
        await Assert.ThrowsAsync<ArgumentException>(() => store.UpdateCheckpointAsync(Owned("worker-a"), default));
        await Assert.ThrowsAsync<ArgumentException>(() => store.TakeAsync(Unowned(), ""));
        await Assert.ThrowsAsync<ArgumentException>(() => store.UpdateChildShardsAsync(Owned("worker-a"), []));
        await Assert.ThrowsAsync<ArgumentException>(() => store.GetAsync(""));
        await Assert.ThrowsAsync<ArgumentException>(() => store.CreateIfAbsentAsync(Unowned("")));
        Assert.Equal(Unowned(), await RowAsync(store));
    }
}
