using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>Several in-process workers sharing one application's leases.</summary>
[Trait("Category", "Engine")]
public sealed class WorkerBalanceTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;
    private readonly ITestOutputHelper _output;

    public WorkerBalanceTests(LocalAwsFixture fixture, ITestOutputHelper output)
    {
        _aws = fixture.Aws;
        _output = output;
    }

    [Fact(Timeout = 90_000)]
    public async Task Three_workers_share_eight_shards_and_process_every_plain_and_aggregated_record()
    {
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(8);
        var expected = await kit.PutPlainAsync("p", 120);
        expected.AddRange(await kit.PutAggregatesAsync("a", 16, 5));

        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var workers = new[] { "w1", "w2", "w3" }.Select(id => new KinesisConsumer(kit.Options(id), new RecordingFactory(log, id))).ToList();
        var runs = workers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();

        await WorkerKit.WaitUntilAsync(
            () => log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count() == expected.Count,
            () => $"{log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count()} of {expected.Count} records");
        await WorkerKit.WaitUntilAsync(
            () => workers.All(w => w.ProcessingShards.Count > 0),
            () => "shards per worker: " + string.Join(", ", workers.Select(w => $"{w.Options.WorkerId}={w.ProcessingShards.Count}")));
        _output.WriteLine("shards per worker: " + string.Join(", ", workers.Select(w => $"{w.Options.WorkerId}={w.ProcessingShards.Count}")));

        await stop.CancelAsync();
        await Task.WhenAll(runs).WaitAsync(WorkerKit.Deadline);

        Assert.Equal(expected.Order(StringComparer.Ordinal), log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Order(StringComparer.Ordinal));
        Assert.Contains(log.Records, r => r.Record.IsAggregated);

        // Fails when a balancing steal lets the thief initialize a processor before the victim has noticed the
        // loss at its next renewal (up to a renewal interval later): both processors are then live on one shard.
        Assert.True(log.MaxConcurrentPerShard == 1, $"{log.MaxConcurrentPerShard} processors were live on one shard at once; events: {string.Join("; ", log.Events.Select(e => $"{e.Worker} {e.Shard} {e.Event}"))}");
    }

    // How soon the shards move is measured by benchmarks/Consumer.Load (takeover: "graceful shutdown: all shards
    // after"); here, that they move by release: the leaving worker's leases are free once it has stopped, not
    // left to expire.
    [Fact(Timeout = 90_000)]
    public async Task A_worker_shutting_down_gracefully_releases_its_shards_and_the_other_takes_them_over_from_its_checkpoints()
    {
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(4);
        var expected = await kit.PutPlainAsync("r", 80);
        using var dynamo = _aws.CreateDynamoDbClient();
        var store = kit.LeaseStore(dynamo);

        var log = new ProcessingLog();
        using var stopLeaving = new CancellationTokenSource();
        using var stopStaying = new CancellationTokenSource();
        var leaving = new KinesisConsumer(kit.Options("leaving"), new RecordingFactory(log, "leaving"));
        var staying = new KinesisConsumer(kit.Options("staying"), new RecordingFactory(log, "staying"));
        var leavingRun = Task.Run(() => leaving.RunAsync(stopLeaving.Token));
        var stayingRun = Task.Run(() => staying.RunAsync(stopStaying.Token));

        await WorkerKit.WaitUntilAsync(
            () => leaving.ProcessingShards.Count > 0 && staying.ProcessingShards.Count > 0 && leaving.ProcessingShards.Count + staying.ProcessingShards.Count == 4 &&
                leaving.ProcessingShards.All(shard => log.Initialized.Any(i => i.Worker == "leaving" && i.Shard == shard)),
            () => $"leaving={leaving.ProcessingShards.Count} staying={staying.ProcessingShards.Count}");
        var handedOver = leaving.ProcessingShards.ToList();

        await stopLeaving.CancelAsync();
        await leavingRun.WaitAsync(WorkerKit.Deadline);

        // Stopped gracefully, the worker owns nothing: its leases are free (or already taken), none left to expire.
        var owners = (await store.ListAsync().WaitAsync(WorkerKit.Deadline)).Where(l => handedOver.Contains(l.LeaseKey)).ToList();
        Assert.Equal(handedOver.Count, owners.Count);
        Assert.All(owners, l => Assert.NotEqual("leaving", l.LeaseOwner));

        // Holding a lease comes before its processor starts: wait for the processors too, or the staying worker may be
        // stopped between the two (its records were all read by the leaving worker already).
        await WorkerKit.WaitUntilAsync(
            () => staying.ProcessingShards.Count == 4 && handedOver.All(shard => log.Initialized.Any(i => i.Worker == "staying" && i.Shard == shard)),
            () => $"staying holds {string.Join(",", staying.ProcessingShards)}; started {string.Join(",", log.Initialized.Where(i => i.Worker == "staying").Select(i => i.Shard))}");
        await WorkerKit.WaitUntilAsync(
            () => log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count() == expected.Count,
            () => $"{log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count()} of {expected.Count} records");
        await stopStaying.CancelAsync();
        await stayingRun.WaitAsync(WorkerKit.Deadline);

        // Each shard handed over was shut down by the leaving worker before the staying one started it again (the
        // staying worker may also have held it before the two balanced, so its last start is the one that counts).
        var events = log.Events.ToList();
        foreach (var shard in handedOver)
        {
            var shutdown = events.FindLastIndex(e => e.Worker == "leaving" && e.Shard == shard && e.Event == "shutdown");
            var started = events.FindLastIndex(e => e.Worker == "staying" && e.Shard == shard && e.Event.StartsWith("initialize", StringComparison.Ordinal));
            Assert.True(shutdown >= 0, $"leaving never shut {shard} down");
            Assert.True(started > shutdown, $"staying started {shard} at event {started}, before leaving shut it down at {shutdown}");
        }

        Assert.Equal(1, log.MaxConcurrentPerShard);
    }
}
