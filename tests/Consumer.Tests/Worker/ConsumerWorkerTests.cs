using System.Text;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>Whole workers against kinesis-mock and dynalite.</summary>
public sealed class ConsumerWorkerTests : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly LocalAws _aws;

    public ConsumerWorkerTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Two_workers_process_every_record_and_never_one_shard_twice_at_once()
    {
        using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = _aws.KinesisEndpoint, Region = _aws.Region, Credentials = _aws.Credentials });
        var stream = LocalAws.UniqueName("consumer");
        await kinesis.CreateStreamAsync(stream, 4).WaitAsync(Deadline);
        await kinesis.WaitForStreamActiveAsync(stream, Deadline).WaitAsync(Deadline);
        const int Count = 200;
        await kinesis.PutRecordsAsync(stream, Enumerable.Range(0, Count).Select(i => new PutRecordsEntry($"k{i}", Encoding.UTF8.GetBytes($"r{i}"))).ToList()).WaitAsync(Deadline);

        var log = new ProcessingLog();
        var application = LocalAws.UniqueName("app");
        using var stop = new CancellationTokenSource();
        var workers = new[] { "w1", "w2" }.Select(id => new KinesisConsumer(Options(stream, application, id), new RecordingFactory(log, id))).ToList();
        var runs = workers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();

        await WaitUntilAsync(() => log.Records.Select(r => Encoding.UTF8.GetString(r.Record.Data.Span)).Distinct().Count() == Count);
        await stop.CancelAsync();
        await Task.WhenAll(runs).WaitAsync(Deadline);

        Assert.Equal(Enumerable.Range(0, Count).Select(i => $"r{i}").Order(), log.Records.Select(r => Encoding.UTF8.GetString(r.Record.Data.Span)).Distinct().Order());
        Assert.Equal(1, log.MaxConcurrentPerShard);
        Assert.Contains(log.Events, e => e.Event == "shutdown");
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

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(50);
        }
    }
}
