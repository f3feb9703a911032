using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>Coordinators on the real clock sharing one DynamoDB table, with short intervals to keep the run quick.</summary>
[Trait("Category", "Engine")]
public sealed class LeaseCoordinatorDynamoDbTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>, IAsyncLifetime
{
    private const int Timeout = 90_000;
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan TakeInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(10);

    private readonly LeaseTables _tables = new(fixture.Aws);

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _tables.DisposeAsync().AsTask();

    private async Task<DynamoDbLeaseStore> TableWithShardsAsync(int shards)
    {
        var store = _tables.NewStore();
        await store.CreateTableIfNotExistsAsync();
        for (var i = 0; i < shards; i++)
        {
            await store.CreateIfAbsentAsync(Lease.ForNewShard($"shardId-{i:D12}", ExtendedSequenceNumber.TrimHorizon));
        }

        return store;
    }

    private static LeaseCoordinator Worker(ILeaseStore store, string id) => new(store, new LeaseCoordinatorOptions
    {
        WorkerId = id,
        FailoverTime = Failover,
        TakeInterval = TakeInterval,
    });

    private static async Task<Dictionary<string, int>> OwnersAsync(DynamoDbLeaseStore store) =>
        (await store.ListAsync()).GroupBy(l => l.LeaseOwner ?? "nobody").ToDictionary(g => g.Key, g => g.Count());

    private static string Describe(params LeaseCoordinator[] workers) =>
        string.Join("; ", workers.Select(w => $"{w.WorkerId} holds {w.HeldLeases.Count}"));

    [Fact(Timeout = Timeout)]
    public async Task Two_workers_share_eight_leases_four_each()
    {
        var store = await TableWithShardsAsync(8);
        await using var a = Worker(store, "worker-a");
        await using var b = Worker(store, "worker-b");

        a.Start();
        b.Start();
        await Eventually.HoldsAsync(() => a.HeldLeases.Count == 4 && b.HeldLeases.Count == 4, () => Describe(a, b), Slack * 3);

        var owners = await OwnersAsync(store);
        Assert.Equal(4, owners["worker-a"]);
        Assert.Equal(4, owners["worker-b"]);
        Assert.Empty(a.HeldLeases.Select(l => l.LeaseKey).Intersect(b.HeldLeases.Select(l => l.LeaseKey)));
    }

    [Fact(Timeout = Timeout)]
    public async Task When_a_worker_dies_the_other_takes_all_its_leases_after_the_failover_time()
    {
        var store = await TableWithShardsAsync(8);
        await using var a = Worker(store, "worker-a");
        await using var b = Worker(store, "worker-b");
        a.Start();
        b.Start();
        await Eventually.HoldsAsync(() => a.HeldLeases.Count == 4 && b.HeldLeases.Count == 4, () => Describe(a, b), Slack * 3);

        await a.StopAsync();
        var stopped = TimeProvider.System.GetTimestamp();

        // b sees a's last renewal at its next listing at the latest, and takes the leases at the first listing
        // a failover time after that.
        await Eventually.HoldsAsync(() => b.HeldLeases.Count == 8, () => Describe(b), Failover + TakeInterval * 2 + Slack);
        Assert.True(TimeProvider.System.GetElapsedTime(stopped) >= Failover - b.RenewalInterval, "b took the leases before they expired");
        Assert.Equal(8, (await OwnersAsync(store))["worker-b"]);
    }

    [Fact(Timeout = Timeout)]
    public async Task After_a_graceful_release_the_other_worker_takes_the_leases_in_its_next_round()
    {
        var store = await TableWithShardsAsync(8);
        await using var a = Worker(store, "worker-a");
        await using var b = Worker(store, "worker-b");
        a.Start();
        b.Start();
        await Eventually.HoldsAsync(() => a.HeldLeases.Count == 4 && b.HeldLeases.Count == 4, () => Describe(a, b), Slack * 3);

        Assert.Equal(4, await a.ReleaseAllAsync());
        await a.StopAsync();

        await Eventually.HoldsAsync(() => b.HeldLeases.Count == 8, () => Describe(b), TakeInterval * 2 + Slack);
        Assert.Equal(8, (await OwnersAsync(store))["worker-b"]);
    }
}
