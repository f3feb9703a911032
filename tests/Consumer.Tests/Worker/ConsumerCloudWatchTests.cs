using System.Text;
using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Worker;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// A worker on the engines uploading to the loopback CloudWatch: the KCL's metric names, namespace, dimensions and
/// units at each level, read back from the PutMetricData calls.
/// </summary>
[Trait("Category", "Engine")]
public sealed class ConsumerCloudWatchTests : IClassFixture<LocalAwsFixture>
{
    private const string Worker = "cw-worker";
    private const string Shard = "shardId-000000000000";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private static readonly (string, string) ProcessTask = ("Operation", "ProcessTask");
    private static readonly (string, string) OnShard = ("ShardId", Shard);
    private static readonly (string, string) OfWorker = ("WorkerIdentifier", Worker);
    private readonly LocalAws _aws;

    public ConsumerCloudWatchTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact(Timeout = 180_000)]
    public async Task Detailed_uploads_every_KCL_metric_with_its_operation_dimensions_and_unit()
    {
        var (application, m) = await RunAsync(MetricsLevel.Detailed, enabledDimensions: null);

        Assert.All(m.Calls, c => Assert.Equal(application, c.Namespace));
        Assert.DoesNotContain(m.Data, d => d.Dimensions.Any(x => x.Name == "StreamName"));
        Assert.Empty(m.Names.Except(ConsumerMetrics.Definitions.Select(d => d.Name)));

        // ProcessTask, per shard: 30 records, one sample per record of their sizes plus a 0 per batch, as the KCL adds.
        var records = m.Statistics("RecordsProcessed", ProcessTask, OnShard);
        Assert.Equal(30, records.Sum);
        var bytes = m.Statistics("DataBytesProcessed", ProcessTask, OnShard);
        Assert.Equal(Enumerable.Range(0, 30).Sum(i => $"r{i}".Length), bytes.Sum);
        Assert.Equal((0, 3), (bytes.Minimum, bytes.Maximum));
        var batches = m.Statistics("Success", ProcessTask, OnShard).SampleCount;
        Assert.Equal(batches + 30, bytes.SampleCount);
        Assert.InRange(records.SampleCount, batches + 1, 2 * batches);
        Assert.Equal([Key(("Operation", "ApplicationTracker")), Key(ProcessTask, OnShard)], m.DimensionSets("MillisBehindLatest").Order(StringComparer.Ordinal));
        m.Statistics("RecordProcessor.processRecords.Time", ProcessTask, OnShard);
        m.Statistics("KinesisDataFetcher.getRecords.Success", ProcessTask, OnShard);
        m.Statistics("KinesisDataFetcher.getShardIterator.Time", ProcessTask, OnShard);

        // One task outcome metric, told apart by Operation.
        Assert.Equal(1, m.Statistics("Success", ProcessTask, OnShard).Minimum);
        Assert.Superset(
            new HashSet<string> { Key(ProcessTask, OnShard), Key(("Operation", "RenewAllLeases"), OfWorker), Key(("Operation", "TakeLeases"), OfWorker), Key(("Operation", "ShardSyncTask")) },
            (HashSet<string>)m.DimensionSets("Time"));
        Assert.Equal(1, m.Statistics("Success", ("Operation", "ShardSyncTask")).Minimum);
        Assert.Equal(1, m.Statistics("SyncShards.Success", ("Operation", "ShardSyncTask")).Minimum);

        // Lease writes: the shard's lease made by the first sync, and the processor's checkpoints.
        Assert.Equal(new(1, 1, 1, 1), m.Statistics("CreateLease.Success", ("Operation", "ShardSyncTask")));
        Assert.Equal(1, m.Statistics("CreateLease_TRIM_HORIZON.Success", ("Operation", "ShardSyncTask")).Sum);
        Assert.Equal(1, m.Statistics("UpdateLease.Success", ProcessTask, OnShard).Minimum);
        Assert.Equal(MetricUnit.Milliseconds, m.Unit("UpdateLease.Time"));

        // Processor lifecycle: no ShardId, as the KCL's InitializeTask and ShutdownTask scopes.
        m.Statistics("RecordProcessor.initialize.Time", ("Operation", "InitializeTask"));
        m.Statistics("RecordProcessor.shutdown.Time", ("Operation", "ShutdownTask"));

        // The renewer and the taker, per worker.
        Assert.Equal(1, m.Statistics("CurrentLeases", ("Operation", "RenewAllLeases"), OfWorker).Maximum);
        Assert.Equal(0, m.Statistics("LostLeases", ("Operation", "RenewAllLeases"), OfWorker).Sum);
        Assert.Equal(1, m.Statistics("RenewLease.Success", ("Operation", "RenewAllLeases"), OfWorker).Minimum);
        Assert.Equal(1, m.Statistics("TakenLeases", ("Operation", "TakeLeases"), OfWorker).Sum);
        Assert.Equal(1, m.Statistics("TotalLeases", ("Operation", "TakeLeases"), OfWorker).Maximum);
        Assert.Equal(1, m.Statistics("NumWorkers", ("Operation", "TakeLeases"), OfWorker).Maximum);
        Assert.Equal(0, m.Statistics("LeaseSpillover", ("Operation", "TakeLeases"), OfWorker).Maximum);
        Assert.Equal(1, m.Statistics("ExpiredLeases", ("Operation", "TakeLeases"), OfWorker).Maximum);
        m.Statistics("NeededLeases", ("Operation", "TakeLeases"), OfWorker);
        m.Statistics("LeasesToTake", ("Operation", "TakeLeases"), OfWorker);
        Assert.Equal(1, m.Statistics("ListLeases.Success", ("Operation", "TakeLeases"), OfWorker).Minimum);
        Assert.Equal(1, m.Statistics("TakeLease.Success", ("Operation", "TakeLeases"), OfWorker).Sum);

        foreach (var (name, unit) in new[]
        {
            ("RecordsProcessed", MetricUnit.Count), ("DataBytesProcessed", MetricUnit.Bytes), ("MillisBehindLatest", MetricUnit.Milliseconds),
            ("Success", MetricUnit.Count), ("Time", MetricUnit.Milliseconds), ("RecordProcessor.processRecords.Time", MetricUnit.Milliseconds),
            ("KinesisDataFetcher.getRecords.Time", MetricUnit.Milliseconds), ("CurrentLeases", MetricUnit.Count), ("TakenLeases", MetricUnit.Count),
        })
        {
            Assert.Equal(unit, m.Unit(name));
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task Summary_leaves_out_the_detailed_metrics()
    {
        var (application, m) = await RunAsync(MetricsLevel.Summary, enabledDimensions: null);

        Assert.All(m.Calls, c => Assert.Equal(application, c.Namespace));
        var summary = ConsumerMetrics.Definitions.Where(d => d.Level == MetricsLevel.Summary).Select(d => d.Name).ToHashSet();
        Assert.Empty(m.Names.Except(summary));
        Assert.Equal(30, m.Statistics("RecordsProcessed", ProcessTask, OnShard).Sum);
        Assert.Equal(1, m.Statistics("CurrentLeases", ("Operation", "RenewAllLeases"), OfWorker).Maximum);
        Assert.Equal(1, m.Statistics("TakenLeases", ("Operation", "TakeLeases"), OfWorker).Sum);
        m.Statistics("MillisBehindLatest", ("Operation", "ApplicationTracker"));
        Assert.DoesNotContain("KinesisDataFetcher.getRecords.Success", m.Names);
        Assert.DoesNotContain("TotalLeases", m.Names);
    }

    [Fact(Timeout = 180_000)]
    public async Task Enabled_dimensions_without_ShardId_and_WorkerIdentifier_merge_to_Operation_alone()
    {
        var (_, m) = await RunAsync(MetricsLevel.Summary, enabledDimensions: new HashSet<string>());

        Assert.All(m.Data, d => Assert.Equal("Operation", Assert.Single(d.Dimensions).Name));
        Assert.Equal(30, m.Statistics("RecordsProcessed", ProcessTask).Sum);
        Assert.Equal(1, m.Statistics("CurrentLeases", ("Operation", "RenewAllLeases")).Maximum);
    }

    [Fact(Timeout = 180_000)]
    public async Task None_uploads_nothing()
    {
        await using var cloudWatch = await LoopbackCloudWatch.StartAsync();
        await RunConsumerAsync(MetricsLevel.None, null, cloudWatch);

        Assert.Equal(0, cloudWatch.Attempts);
    }

    [Fact(Timeout = 180_000)]
    public async Task Multi_stream_per_shard_metrics_carry_the_KCL_StreamId_of_their_own_stream()
    {
        await using var cloudWatch = await LoopbackCloudWatch.StartAsync();
        using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = _aws.KinesisEndpoint, Region = _aws.Region, Credentials = _aws.Credentials });
        await using var orders = await _aws.NewStreamAsync(1, "cworders", through: kinesis);
        await using var clicks = await _aws.NewStreamAsync(1, "cwclicks", through: kinesis);
        await PutAsync(kinesis, orders, 20);
        await PutAsync(kinesis, clicks, 10);
        await using var application = _aws.NewTable("cwmsapp");
        var options = Options(application, MetricsLevel.Detailed, cloudWatch);
        options.Streams = new MultiStreamTracker([new StreamConfig(orders), new StreamConfig(clicks)]);
        await RunUntilUploadedAsync(options, cloudWatch, 30, leases: 2);
        Assert.Empty(cloudWatch.Rejections);
        var m = new UploadedMetrics(cloudWatch.Calls);

        // The KCL's StreamId is the serialized identifier its multi-stream leases carry in streamName.
        using var dynamo = _aws.CreateDynamoDbClient();
        var leases = await new DynamoDbLeaseStore(dynamo, new LeaseTableOptions { TableName = application }).ListAsync();
        var ordersId = Assert.Single(leases, l => l.StreamIdentifier!.Split(':')[1] == orders.Name).StreamIdentifier!;
        var clicksId = Assert.Single(leases, l => l.StreamIdentifier!.Split(':')[1] == clicks.Name).StreamIdentifier!;
        (string, string) ordersStream = ("StreamId", ordersId), clicksStream = ("StreamId", clicksId);

        // Per stream, not joined: each shard's ProcessTask data under its own stream.
        Assert.Equal(20, m.Statistics("RecordsProcessed", ProcessTask, ordersStream, OnShard).Sum);
        Assert.Equal(10, m.Statistics("RecordsProcessed", ProcessTask, clicksStream, OnShard).Sum);
        foreach (var stream in new[] { ordersStream, clicksStream })
        {
            m.Statistics("DataBytesProcessed", ProcessTask, stream, OnShard);
            m.Statistics("Success", ProcessTask, stream, OnShard);
            m.Statistics("RecordProcessor.processRecords.Time", ProcessTask, stream, OnShard);
            m.Statistics("KinesisDataFetcher.getRecords.Success", ProcessTask, stream, OnShard);
            m.Statistics("KinesisDataFetcher.getShardIterator.Time", ProcessTask, stream, OnShard);
            Assert.Equal(1, m.Statistics("UpdateLease.Success", ProcessTask, stream, OnShard).Minimum);
        }

        // Where the KCL adds no StreamId, none here either: its application, task and worker scopes.
        Assert.Equal([Key(("Operation", "ApplicationTracker")), Key(ProcessTask, clicksStream, OnShard), Key(ProcessTask, ordersStream, OnShard)], m.DimensionSets("MillisBehindLatest").Order(StringComparer.Ordinal));
        m.Statistics("RecordProcessor.initialize.Time", ("Operation", "InitializeTask"));
        Assert.Equal(2, m.Statistics("CreateLease.Success", ("Operation", "ShardSyncTask")).Sum);
        Assert.Equal(2, m.Statistics("CurrentLeases", ("Operation", "RenewAllLeases"), OfWorker).Maximum);
        Assert.DoesNotContain(m.Data, d => d.MetricName != "ExpiredIterator" && d.Dimensions.Any(x => x.Name == "StreamId") && d.Dimensions.All(x => x.Name != "ShardId"));
    }

    private static string Key(params (string Name, string Value)[] dimensions) =>
        UploadedMetrics.Key(dimensions.Select(d => new MetricDimension(d.Name, d.Value)));

    private async Task<(string Application, UploadedMetrics Metrics)> RunAsync(MetricsLevel level, IReadOnlySet<string>? enabledDimensions)
    {
        await using var cloudWatch = await LoopbackCloudWatch.StartAsync();
        var application = await RunConsumerAsync(level, enabledDimensions, cloudWatch);
        Assert.Empty(cloudWatch.Rejections);
        return (application, new UploadedMetrics(cloudWatch.Calls));
    }

    /// <summary>Runs one worker over a fresh one-shard stream of 30 records until they are processed and a renewal round is uploaded.</summary>
    private async Task<string> RunConsumerAsync(MetricsLevel level, IReadOnlySet<string>? enabledDimensions, LoopbackCloudWatch cloudWatch)
    {
        using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = _aws.KinesisEndpoint, Region = _aws.Region, Credentials = _aws.Credentials });
        await using var stream = await _aws.NewStreamAsync(1, "cwmetrics", through: kinesis);
        await PutAsync(kinesis, stream, 30);

        await using var application = _aws.NewTable("cwapp");
        var options = Options(application, level, cloudWatch);
        options.StreamName = stream;
        if (enabledDimensions is not null)
        {
            options.MetricsEnabledDimensions = enabledDimensions;
        }

        await RunUntilUploadedAsync(options, cloudWatch, 30);
        return application;
    }

    private static async Task PutAsync(KinesisClient kinesis, string stream, int count) =>
        await kinesis.PutRecordsAsync(stream, Enumerable.Range(0, count).Select(i => new PutRecordsEntry($"k{i}", Encoding.UTF8.GetBytes($"r{i}"))).ToList()).WaitAsync(Deadline);

    private KinesisConsumerOptions Options(string application, MetricsLevel level, LoopbackCloudWatch cloudWatch) => new()
    {
        ApplicationName = application,
        WorkerId = Worker,
        InitialPosition = InitialPosition.TrimHorizon,
        FailoverTime = TimeSpan.FromSeconds(3),
        IdleTimeBetweenReads = TimeSpan.FromMilliseconds(200),
        KinesisEndpoint = _aws.KinesisEndpoint,
        DynamoDbEndpoint = _aws.DynamoDbEndpoint,
        CloudWatchEndpoint = cloudWatch.Endpoint,
        Region = _aws.Region,
        Credentials = _aws.Credentials,
        MetricsLevel = level,
        MetricsBufferTime = TimeSpan.FromSeconds(1),
    };

    /// <summary>
    /// Runs one worker until it has processed <paramref name="records"/> records and, unless None, uploaded them and a
    /// renewal round of its <paramref name="leases"/> leases.
    /// </summary>
    private static async Task RunUntilUploadedAsync(KinesisConsumerOptions options, LoopbackCloudWatch cloudWatch, int records, int leases = 1)
    {
        var log = new ProcessingLog();
        var consumer = new KinesisConsumer(options, new RecordingFactory(log, Worker));
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => consumer.RunAsync(stop.Token));
        try
        {
            await Eventually.HoldsAsync(
                () => log.Records.Select(r => (r.Shard, r.Record.SequenceNumber)).Distinct().Count() >= records,
                () => $"{records} records processed; {log.Records.Count} so far",
                Deadline);
            if (options.MetricsLevel != MetricsLevel.None)
            {
                // The batches' metrics (recorded once the processor's checkpoint returned, a moment after the log saw
                // the records) and a renewal round after the take, uploaded before the worker stops.
                await Eventually.HoldsAsync(
                    () =>
                    {
                        var data = cloudWatch.Calls.SelectMany(c => c.Data).ToList();
                        return data.Where(d => d.MetricName == "RecordsProcessed").Sum(d => d.StatisticValues!.Value.Sum) >= records
                            && data.Any(d => d.MetricName == "CurrentLeases" && d.StatisticValues!.Value.Maximum == leases);
                    },
                    $"{records} uploaded RecordsProcessed and an uploaded CurrentLeases of {leases}",
                    Deadline);
            }
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(Deadline);
        }
    }
}
