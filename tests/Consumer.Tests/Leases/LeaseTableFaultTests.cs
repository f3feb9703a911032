using Amazon.DynamoDBv2;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Tests.Worker;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>
/// The lease coordinator against a lease table under pressure: the real SDK client talks to dynalite through
/// <see cref="DynamoDbFaultProxy"/>, which throttles, fails, delays or drops replies after the write.
/// </summary>
[Trait("Category", "Engine")]
public sealed class LeaseTableFaultTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private const int Timeout = 120_000;
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(60);
    private static readonly ExtendedSequenceNumber Position = new("49590338271490256608559692538361571095921575989136588898");

    private LocalAws Aws => fixture.Aws;

    [Fact(Timeout = Timeout)]
    public async Task Renewals_throttled_for_less_than_the_failover_time_lose_no_lease_and_log_once_each_way()
    {
        await using var proxy = await DynamoDbFaultProxy.StartAsync(Aws.DynamoDbEndpoint);
        await using var table = Aws.NewTable("throttled-renewals");
        // No SDK retries for A: its retries can outlast the throttling, and then the coordinator never sees it.
        using var throughProxy = Client(proxy.Endpoint, retries: 0);
        using var direct = Aws.CreateDynamoDbClient();
        var storeA = await TableWithShardsAsync(throughProxy, table, 4);
        var storeB = Store(direct, table);
        var log = new TestLogger();
        var lostByA = new List<string>();
        var takenByB = new List<string>();
        var failing = 0;
        var mostFailing = 0;
        await using var a = Worker(storeA, "a", log, lostByA.Add, null, delta =>
        {
            var now = Interlocked.Add(ref failing, delta);
            InterlockedMax(ref mostFailing, now);
        });
        await using var b = Worker(storeB, "b", null, null, l => takenByB.Add(l.LeaseKey));
        await a.RunTakeRoundAsync();
        await b.RunTakeRoundAsync();
        Assert.Equal((2, 2), (a.HeldLeases.Count, b.HeldLeases.Count));
        var heldByA = a.HeldLeases.Select(l => l.LeaseKey).Order().ToList();
        takenByB.Clear();
        a.Start();
        b.Start();

        // Right after one of A's renewals, throttle all of A's writes for 60 % of the failover time (less than the
        // failover time minus a renewal interval): renewals fail past the SDK's own retries, the leases stay A's.
        var forwarded = proxy.Stats.ForwardedOf("UpdateItem");
        await Eventually.HoldsAsync(() => proxy.Stats.ForwardedOf("UpdateItem") >= forwarded + 2, "A renews", Slack);
        var throttle = proxy.Faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.ProvisionedThroughputExceeded)
        {
            Operation = "UpdateItem",
            Duration = Failover * 0.6,
        });
        await Eventually.HoldsAsync(() => throttle.IsSpent, "the throttling ends", Slack);
        var afterThrottle = proxy.Stats.ForwardedOf("UpdateItem");
        // Two more failover times in which B watches A's counters.
        await Eventually.HoldsAsync(() => proxy.Stats.ForwardedOf("UpdateItem") >= afterThrottle + 12, "A renews six more rounds", Slack);

        Assert.True(throttle.Hits > 0);
        Assert.Empty(lostByA);
        Assert.Empty(takenByB);
        Assert.Equal(heldByA, a.HeldLeases.Select(l => l.LeaseKey).Order().ToList());
        Assert.Equal(["a", "a"], (await storeB.ListAsync()).Where(l => heldByA.Contains(l.LeaseKey)).Select(l => l.LeaseOwner));
        Assert.InRange(mostFailing, 1, 2);
        Assert.Equal((0, 0), (failing, a.FailingRenewals));
        Assert.Single(log.WithId(2113));
        Assert.Single(log.WithId(2114));
        Assert.Empty(log.WithId(2103));
    }

    [Theory(Timeout = Timeout)]
    [InlineData(DynamoDbFaultKind.InternalServerErrorAfterWrite)]
    [InlineData(DynamoDbFaultKind.ResetAfterWrite)]
    public async Task A_checkpoint_whose_reply_was_lost_is_applied_once_and_the_lease_kept(DynamoDbFaultKind kind)
    {
        await using var proxy = await DynamoDbFaultProxy.StartAsync(Aws.DynamoDbEndpoint);
        await using var table = Aws.NewTable("lost-checkpoint");
        using var client = Client(proxy.Endpoint);
        var store = await TableWithShardsAsync(client, table, 1);
        var lost = new List<string>();
        await using var worker = Worker(store, "a", null, lost.Add, null);
        await worker.RunTakeRoundAsync();
        Assert.True(worker.TryGetHeldLease("shardId-000000000000", out var before));

        proxy.Faults.Next(kind, "UpdateItem");
        var written = await worker.TryCheckpointAsync("shardId-000000000000", Position);

        var row = await store.GetAsync("shardId-000000000000");
        Assert.True(written);
        Assert.Equal((Position, "a", before.LeaseCounter + 1), (row!.Checkpoint, row.LeaseOwner, row.LeaseCounter));
        Assert.True(worker.TryGetHeldLease("shardId-000000000000", out var held));
        Assert.Equal(row.LeaseCounter, held.LeaseCounter);
        Assert.Empty(lost);
        Assert.Equal(1, proxy.Stats.InjectedOf(kind));
        Assert.Equal(3, proxy.Stats.ForwardedOf("UpdateItem")); // the take, the checkpoint and its resend by the SDK
    }

    [Fact(Timeout = Timeout)]
    public async Task A_take_and_a_renewal_whose_replies_were_lost_are_adopted_not_written_again()
    {
        await using var proxy = await DynamoDbFaultProxy.StartAsync(Aws.DynamoDbEndpoint);
        await using var table = Aws.NewTable("lost-take");
        using var client = Client(proxy.Endpoint);
        var store = await TableWithShardsAsync(client, table, 1);
        var lost = new List<string>();
        await using var worker = Worker(store, "a", null, lost.Add, null);

        proxy.Faults.Next(DynamoDbFaultKind.InternalServerErrorAfterWrite, "UpdateItem");
        await worker.RunTakeRoundAsync();
        var taken = (await store.GetAsync("shardId-000000000000"))!;
        proxy.Faults.Next(DynamoDbFaultKind.ResetAfterWrite, "UpdateItem");
        await worker.RunRenewalRoundAsync();
        var renewed = (await store.GetAsync("shardId-000000000000"))!;

        Assert.Equal(("a", 1L), (taken.LeaseOwner, taken.LeaseCounter));
        Assert.Equal(("a", 2L), (renewed.LeaseOwner, renewed.LeaseCounter));
        Assert.True(worker.TryGetHeldLease("shardId-000000000000", out var held));
        Assert.Equal(2, held.LeaseCounter);
        Assert.Empty(lost);
        Assert.Equal(2, proxy.Stats.InjectedOf(DynamoDbFaultKind.InternalServerErrorAfterWrite) + proxy.Stats.InjectedOf(DynamoDbFaultKind.ResetAfterWrite));
    }

    [Fact(Timeout = Timeout)]
    public async Task Failing_listings_and_slow_writes_drop_no_lease()
    {
        await using var proxy = await DynamoDbFaultProxy.StartAsync(Aws.DynamoDbEndpoint);
        await using var table = Aws.NewTable("failing-scan");
        using var client = Client(proxy.Endpoint);
        var store = await TableWithShardsAsync(client, table, 2);
        var lost = new List<string>();
        await using var worker = Worker(store, "a", null, lost.Add, null);
        await worker.RunTakeRoundAsync();
        var counters = worker.HeldLeases.ToDictionary(l => l.LeaseKey, l => l.LeaseCounter);

        var failures = proxy.Faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.InternalServerError) { Operation = "Scan", Probability = 0.5 });
        var resets = proxy.Faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.Reset) { Operation = "Scan" });
        var listed = await worker.RunTakeRoundAsync();
        failures.Remove();
        resets.Remove();
        proxy.Faults.Add(new DynamoDbFaultRule(DynamoDbFaultKind.Latency) { Operation = "UpdateItem", Delay = worker.RenewalInterval });
        await worker.RunRenewalRoundAsync();
        var checkpointed = await worker.TryCheckpointAsync("shardId-000000000000", Position);

        Assert.Null(listed);
        Assert.True(failures.Hits + resets.Hits > 0);
        Assert.True(checkpointed);
        Assert.Equal(counters.Keys.Order(), worker.HeldLeases.Select(l => l.LeaseKey).Order());
        Assert.All(worker.HeldLeases, l => Assert.True(l.LeaseCounter > counters[l.LeaseKey]));
        Assert.Empty(lost);
        Assert.True(proxy.Stats.InjectedOf(DynamoDbFaultKind.Latency, "UpdateItem") >= 3);
    }

    private AmazonDynamoDBClient Client(Uri endpoint, int? retries = null)
    {
        var config = new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = Aws.Region };
        if (retries is { } count)
        {
            config.MaxErrorRetry = count;
        }

        return new AmazonDynamoDBClient(Aws.Credentials, config);
    }

    private static DynamoDbLeaseStore Store(IAmazonDynamoDB client, string table) =>
        new(client, new LeaseTableOptions { TableName = table, TableActivePollInterval = TimeSpan.FromMilliseconds(100) });

    private static async Task<DynamoDbLeaseStore> TableWithShardsAsync(IAmazonDynamoDB client, string table, int shards)
    {
        var store = Store(client, table);
        await store.CreateTableIfNotExistsAsync();
        for (var i = 0; i < shards; i++)
        {
            await store.CreateIfAbsentAsync(Lease.ForNewShard($"shardId-{i:D12}", ExtendedSequenceNumber.TrimHorizon));
        }

        return store;
    }

    private static LeaseCoordinator Worker(
        ILeaseStore store, string id, TestLogger? logger, Action<string>? onLost, Action<Lease>? onAcquired, Action<int>? onFailing = null) => new(store, new LeaseCoordinatorOptions
        {
            OnRenewalsFailingChanged = onFailing,
            WorkerId = id,
            FailoverTime = Failover,
            MaxLeasesForWorker = 2,
            OnLeaseLost = onLost,
            OnLeaseAcquired = onAcquired,
            LoggerFactory = logger is null ? null : new OneLoggerFactory(logger),
        });

    private static void InterlockedMax(ref int target, int value)
    {
        int seen;
        while (value > (seen = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, seen) != seen)
        {
        }
    }
}
