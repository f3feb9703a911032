using Kinesis.Clients.Consumer.Leases;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>The list of streams changed while a multi-stream worker runs: added streams start, former ones' leases go per the strategy.</summary>
[Trait("Category", "Engine")]
public sealed class MultiStreamTrackerChangeTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public MultiStreamTrackerChangeTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Theory(Timeout = 150_000)]
    [InlineData(FormerStreamsLeasesDeletion.None)]
    [InlineData(FormerStreamsLeasesDeletion.AutoDetectionDeferred)]
    [InlineData(FormerStreamsLeasesDeletion.ProvidedStreamsDeferred)]
    public async Task A_stream_added_while_running_is_consumed_and_a_removed_one_keeps_or_loses_its_leases_per_the_strategy(FormerStreamsLeasesDeletion strategy)
    {
        await using var kit = new WorkerKit(_aws);
        var first = await kit.CreateStreamAsync(1);
        await using var second = await _aws.NewStreamAsync(2, "mssecond", through: kit.Kinesis).WaitAsync(WorkerKit.Deadline);
        await kit.PutPlainAsync("first", 3);
        var tracker = new MultiStreamTracker([new StreamConfig(first)])
        {
            StreamSyncInterval = TimeSpan.FromMilliseconds(500),
            FormerStreamsLeasesDeletion = strategy,
            WaitPeriodToDeleteFormerStreams = strategy == FormerStreamsLeasesDeletion.None ? null : TimeSpan.FromSeconds(1),
        };
        var options = kit.Options("w1");
        options.StreamName = "";
        options.Streams = tracker;
        var logger = new TestLogger();
        options.LoggerFactory = new OneLoggerFactory(logger);
        using var dynamo = _aws.CreateDynamoDbClient();
        var store = kit.LeaseStore(dynamo);
        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var worker = new KinesisConsumer(options, new RecordingFactory(log, "w1"));
        var run = Task.Run(() => worker.RunAsync(stop.Token));
        await WorkerKit.WaitUntilAsync(() => log.Records.Count >= 3, () => $"{log.Records.Count} records of the first stream");

        tracker.SetStreams([new StreamConfig(first), new StreamConfig(second, InitialPosition.TrimHorizon)]);
        var put = await kit.Kinesis.PutRecordsAsync(second, [new PutRecordsEntry("k", "second0"u8.ToArray())]).WaitAsync(WorkerKit.Deadline);
        Assert.Equal(0, put.FailedRecordCount);
        await WorkerKit.WaitUntilAsync(
            () => log.Records.Any(r => r.Shard.StartsWith(second.Name + "/", StringComparison.Ordinal) && WorkerKit.Text(r.Record) == "second0"),
            () => "the added stream was not consumed: " + string.Join(",", log.Initialized.Select(i => i.Shard)));
        Assert.Equal(2, (await store.ListAsync()).Count(l => LeaseOf(l, second.Name)));

        tracker.SetStreamsForLeaseDeletion([second.Name]);
        tracker.SetStreams([new StreamConfig(first)]);
        // The worker has read the new list (event 2072: the stream is no longer synced).
        await WorkerKit.WaitUntilAsync(() => logger.WithId(2072).Any(), () => "the removal was not seen");
        if (strategy == FormerStreamsLeasesDeletion.None)
        {
            Assert.Equal(2, (await store.ListAsync()).Count(l => LeaseOf(l, second.Name)));
        }
        else
        {
            await WorkerKit.WaitUntilAsync(
                async () => !(await store.ListAsync()).Any(l => LeaseOf(l, second.Name)),
                () => "the former stream's leases are still there");
        }

        Assert.Equal(1, (await store.ListAsync()).Count(l => LeaseOf(l, first)));
        await stop.CancelAsync();
        await run.WaitAsync(WorkerKit.Deadline);
    }

    [Fact(Timeout = 150_000)]
    public async Task Two_workers_that_both_drop_a_stream_delete_its_leases_once_and_stop_its_processors()
    {
        await using var kit = new WorkerKit(_aws);
        var first = await kit.CreateStreamAsync(2);
        await using var second = await _aws.NewStreamAsync(2, "mssecond", through: kit.Kinesis).WaitAsync(WorkerKit.Deadline);
        var put = await kit.Kinesis.PutRecordsAsync(second, [new PutRecordsEntry("a", "second0"u8.ToArray()), new PutRecordsEntry("b", "second1"u8.ToArray())])
            .WaitAsync(WorkerKit.Deadline);
        Assert.Equal(0, put.FailedRecordCount);
        using var dynamo = _aws.CreateDynamoDbClient();
        var store = kit.LeaseStore(dynamo);
        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var workers = new List<(MultiStreamTracker Tracker, TestLogger Logger, Task Run)>();
        foreach (var name in new[] { "w1", "w2" })
        {
            // Both workers start with both streams, as a fleet does whose configuration lists them.
            var tracker = new MultiStreamTracker([new StreamConfig(first), new StreamConfig(second, InitialPosition.TrimHorizon)])
            {
                StreamSyncInterval = TimeSpan.FromMilliseconds(500),
                FormerStreamsLeasesDeletion = FormerStreamsLeasesDeletion.AutoDetectionDeferred,
                WaitPeriodToDeleteFormerStreams = TimeSpan.FromSeconds(1),
            };
            var options = kit.Options(name);
            options.StreamName = "";
            options.Streams = tracker;
            var logger = new TestLogger();
            options.LoggerFactory = new OneLoggerFactory(logger);
            var worker = new KinesisConsumer(options, new RecordingFactory(log, name));
            workers.Add((tracker, logger, Task.Run(() => worker.RunAsync(stop.Token))));
        }

        await WorkerKit.WaitUntilAsync(
            () => log.Records.Count(r => r.Shard.StartsWith(second.Name + "/", StringComparison.Ordinal)) >= 2,
            () => "the second stream was not consumed: " + string.Join(",", log.Initialized.Select(i => i.Shard)));
        var secondShards = log.Initialized.Select(i => i.Shard).Where(s => s.StartsWith(second.Name + "/", StringComparison.Ordinal)).Distinct().ToList();

        // Both workers drop the stream at once: each finds the same former leases and deletes them.
        foreach (var (tracker, _, _) in workers)
        {
            tracker.SetStreams([new StreamConfig(first)]);
        }

        await WorkerKit.WaitUntilAsync(
            async () => !(await store.ListAsync()).Any(l => LeaseOf(l, second.Name)),
            () => "the former stream's leases are still there");
        // Every processor of the dropped stream ends (its lease is gone), on whichever worker held it.
        await WorkerKit.WaitUntilAsync(
            () => secondShards.All(shard => log.Events.Any(e => e.Shard == shard)),
            () => "processors of the dropped stream still running: " +
                string.Join(",", secondShards.Where(shard => !log.Events.Any(e => e.Shard == shard))));

        // The kept stream goes on: its leases are there and a new record arrives.
        Assert.Equal(2, (await store.ListAsync()).Count(l => LeaseOf(l, first)));
        await kit.PutPlainAsync("after", 1);
        await WorkerKit.WaitUntilAsync(() => log.Records.Any(r => WorkerKit.Text(r.Record) == "after0"), () => "the kept stream stopped");
        Assert.DoesNotContain(workers.SelectMany(w => w.Logger.Entries), e => e.Level >= LogLevel.Error);

        await stop.CancelAsync();
        await Task.WhenAll(workers.Select(w => w.Run)).WaitAsync(WorkerKit.Deadline);
        // No lease of the dropped stream came back while the workers stopped.
        Assert.DoesNotContain(await store.ListAsync(), l => LeaseOf(l, second.Name));
    }

    private static bool LeaseOf(Lease lease, string stream) =>
        lease.StreamIdentifier is { } id && StreamIdentifier.Parse(id).StreamName == stream;
}
