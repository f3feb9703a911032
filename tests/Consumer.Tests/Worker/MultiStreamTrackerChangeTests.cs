using Kinesis.Clients.Consumer.Leases;

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

    private static bool LeaseOf(Lease lease, string stream) =>
        lease.StreamIdentifier is { } id && StreamIdentifier.Parse(id).StreamName == stream;
}
