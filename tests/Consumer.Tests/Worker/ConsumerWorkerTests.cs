using System.Text;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>Whole workers against kinesis-mock and dynalite.</summary>
[Trait("Category", "Engine")]
public sealed class ConsumerWorkerTests : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly LocalAws _aws;

    public ConsumerWorkerTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Two_workers_process_every_record_and_never_one_shard_twice_at_once()
    {
        using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = _aws.KinesisEndpoint, Region = _aws.Region, Credentials = _aws.Credentials });
        await using var stream = await _aws.NewStreamAsync(4, "consumer", through: kinesis);
        const int Count = 200;
        await kinesis.PutRecordsAsync(stream, Enumerable.Range(0, Count).Select(i => new PutRecordsEntry($"k{i}", Encoding.UTF8.GetBytes($"r{i}"))).ToList()).WaitAsync(Deadline);

        var log = new ProcessingLog();
        await using var application = _aws.NewTable("app");
        using var stop = new CancellationTokenSource();
        var workers = new[] { "w1", "w2" }.Select(id => new KinesisConsumer(Options(stream, application, id), new RecordingFactory(log, id))).ToList();
        var runs = workers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();

        await Eventually.HoldsAsync(() => log.Records.Select(r => Encoding.UTF8.GetString(r.Record.Data.Span)).Distinct().Count() == Count, $"{Count} distinct records processed", Deadline);
        await stop.CancelAsync();
        await Task.WhenAll(runs).WaitAsync(Deadline);

        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"r{i}").Order(), log.Records.Select(r => Encoding.UTF8.GetString(r.Record.Data.Span)).Distinct().Order());
        Assert.Equal(1, log.MaxConcurrentPerShard);
        Assert.Contains(log.Events, e => e.Event == "shutdown");
    }

    [Fact]
    public async Task A_worker_with_enhanced_fan_out_processes_every_record_plain_and_aggregated()
    {
        using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = _aws.KinesisEndpoint, Region = _aws.Region, Credentials = _aws.Credentials });
        await using var stream = await _aws.NewStreamAsync(2, "fanout", through: kinesis);
        await using var server = await SubscribeToShardServer.StartAsync(kinesis).WaitAsync(Deadline);

        const int Plain = 50;
        await kinesis.PutRecordsAsync(stream, Enumerable.Range(0, Plain).Select(i => new PutRecordsEntry($"k{i}", Encoding.UTF8.GetBytes($"r{i}"))).ToList()).WaitAsync(Deadline);
        using (var aggregate = new Kinesis.Clients.Aggregation.AggregateBuilder())
        {
            for (var i = 0; i < 20; i++)
            {
                Assert.True(aggregate.TryAdd($"a{i}", null, Encoding.UTF8.GetBytes($"agg{i}")));
            }

            await kinesis.PutRecordAsync(new PutRecordRequest
            {
                StreamName = stream,
                PartitionKey = aggregate.KinesisPartitionKey,
                ExplicitHashKey = aggregate.KinesisExplicitHashKey,
                Data = aggregate.ToKinesisData(),
            }).WaitAsync(Deadline);
        }

        var expected = Enumerable.Range(0, Plain).Select(i => $"r{i}").Concat(Enumerable.Range(0, 20).Select(i => $"agg{i}")).Order().ToList();
        var log = new ProcessingLog();
        await using var application = _aws.NewTable("app");
        var options = Options(stream, application, "efo");
        options.RetrievalMode = RetrievalMode.EnhancedFanOut;
        options.FanOut.ServiceUrl = server.Endpoint;
        using var trusting = new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = _aws.KinesisEndpoint,
            Region = _aws.Region,
            Credentials = _aws.Credentials,
            TrustedCertificates = server.TrustedCertificates,
        });
        options.KinesisClient = trusting;
        options.FanOut.ResubscribeInterval = TimeSpan.Zero;
        using var stop = new CancellationTokenSource();
        var consumer = new KinesisConsumer(options, new RecordingFactory(log, "efo"));
        var run = Task.Run(() => consumer.RunAsync(stop.Token));

        await Eventually.HoldsAsync(() => log.Records.Select(r => Encoding.UTF8.GetString(r.Record.Data.Span)).Distinct().Count() == expected.Count, $"{expected.Count} distinct records processed", Deadline);
        await stop.CancelAsync();
        await run.WaitAsync(Deadline);

        Assert.Equal(expected, log.Records.Select(r => Encoding.UTF8.GetString(r.Record.Data.Span)).Distinct().Order());
        Assert.Equal(20, log.Records.Count(r => r.Record.IsAggregated));
        Assert.NotEmpty(server.Calls);
    }

    private KinesisConsumerOptions Options(string stream, string application, string worker) => new()
    {
        ApplicationName = application,
        StreamName = stream,
        WorkerId = worker,
        InitialPosition = InitialPosition.TrimHorizon,
        FailoverTime = TimeSpan.FromSeconds(3),
        IdleTimeBetweenReads = TimeSpan.FromMilliseconds(200),
        ShardSyncInterval = TimeSpan.FromSeconds(5),
        KinesisEndpoint = _aws.KinesisEndpoint,
        DynamoDbEndpoint = _aws.DynamoDbEndpoint,
        Region = _aws.Region,
        Credentials = _aws.Credentials,
        MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
    };

}
