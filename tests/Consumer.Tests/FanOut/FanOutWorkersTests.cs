using System.Text;
using Kinesis.Clients.Consumer.FanOut;
using Kinesis.Clients.Consumer.Tests.Worker;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.FanOut;

/// <summary>
/// Several workers of one application reading a stream through enhanced fan-out over TLS: the loopback server's
/// self-signed certificate is trusted through the Kinesis client the workers are given, which still speaks plain
/// HTTP to kinesis-mock for every other call.
/// </summary>
[Trait("Category", "Engine")]
public sealed class FanOutWorkersTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly LocalAws _aws = fixture.Aws;

    [Fact(Timeout = 240_000)]
    public async Task Two_workers_share_the_shards_over_TLS_and_one_takes_over_after_the_other_stops()
    {
        using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = _aws.KinesisEndpoint, Region = _aws.Region, Credentials = _aws.Credentials });
        await using var stream = await _aws.NewStreamAsync(4, "efo-workers", through: kinesis);
        await using var server = await SubscribeToShardServer.StartAsync(kinesis, new SubscribeToShardServerOptions
        {
            ResubscribeGuard = TimeSpan.FromMilliseconds(250),
            HeartbeatInterval = TimeSpan.FromMilliseconds(200),
            PollInterval = TimeSpan.FromMilliseconds(50),
        }).WaitAsync(Deadline);
        using var trusting = new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = _aws.KinesisEndpoint,
            Region = _aws.Region,
            Credentials = _aws.Credentials,
            TrustedCertificates = server.TrustedCertificates,
        });
        await PutAsync(kinesis, stream, 0, 200);

        var log = new ProcessingLog();
        await using var application = _aws.NewTable("efo-app");
        using var stopFirst = new CancellationTokenSource();
        using var stopSecond = new CancellationTokenSource();
        var first = new KinesisConsumer(Options(stream, application, "w1", server, trusting), new RecordingFactory(log, "w1"));
        var second = new KinesisConsumer(Options(stream, application, "w2", server, trusting), new RecordingFactory(log, "w2"));
        var firstRun = Task.Run(() => first.RunAsync(stopFirst.Token));
        var secondRun = Task.Run(() => second.RunAsync(stopSecond.Token));
        try
        {
            await Eventually.HoldsAsync(() => Distinct(log) == 200, "200 distinct records processed", Deadline);
            // Holding a lease is not enough: a lease taken by stealing waits a renewal interval before its processor
            // starts, and the handover below is about processors that ran.
            await Eventually.HoldsAsync(
                () => Initialized(log, "w1") && Initialized(log, "w2") && first.ProcessingShards.Count > 0 && second.ProcessingShards.Count > 0,
                "both workers processing shards", Deadline);

            // A graceful stop releases w1's leases after checkpointing; w2 takes them and subscribes from there.
            await stopFirst.CancelAsync();
            await firstRun.WaitAsync(Deadline);
            await PutAsync(kinesis, stream, 200, 100);
            await Eventually.HoldsAsync(() => Distinct(log) == 300, "300 distinct records processed", Deadline);

            Assert.Equal(Enumerable.Range(0, 300).Select(i => $"r{i}").Order(), log.Records.Select(Data).Distinct().Order());
            var bySecond = log.Records.Where(r => r.Worker == "w2").Select(Data).ToHashSet();
            Assert.All(Enumerable.Range(200, 100), i => Assert.Contains($"r{i}", bySecond));
            Assert.Equal(1, log.MaxConcurrentPerShard);
            Assert.Contains(log.Events, e => e.Worker == "w1" && e.Event == "shutdown");
            Assert.All(server.Calls, c => Assert.True(c.Connection.IsHttp2OverTls, c.ToString()));
        }
        finally
        {
            await stopFirst.CancelAsync();
            await stopSecond.CancelAsync();
            await Task.WhenAll(firstRun, secondRun).WaitAsync(Deadline);
        }
    }

    private static string Data((string Worker, string Shard, ConsumerRecord Record) entry) => Encoding.UTF8.GetString(entry.Record.Data.Span);

    private static bool Initialized(ProcessingLog log, string worker) =>
        log.Events.Any(e => e.Worker == worker && e.Event.StartsWith("initialize", StringComparison.Ordinal));

    private static int Distinct(ProcessingLog log) => log.Records.Select(Data).Distinct().Count();

    private static async Task PutAsync(KinesisClient kinesis, string stream, int from, int count)
    {
        var entries = Enumerable.Range(from, count).Select(i => new PutRecordsEntry($"k{i}", Encoding.UTF8.GetBytes($"r{i}"))).ToList();
        var result = await kinesis.PutRecordsAsync(stream, entries).WaitAsync(Deadline);
        Assert.Equal(0, result.FailedRecordCount);
    }

    private KinesisConsumerOptions Options(string stream, string application, string worker, SubscribeToShardServer server, KinesisClient trusting) => new()
    {
        ApplicationName = application,
        StreamName = stream,
        WorkerId = worker,
        InitialPosition = InitialPosition.TrimHorizon,
        RetrievalMode = RetrievalMode.EnhancedFanOut,
        FanOut = new FanOutOptions
        {
            ServiceUrl = server.Endpoint,
            ResubscribeInterval = TimeSpan.FromMilliseconds(250),
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(500),
        },
        KinesisClient = trusting,
        FailoverTime = TimeSpan.FromSeconds(3),
        ShardSyncInterval = TimeSpan.FromSeconds(5),
        DynamoDbEndpoint = _aws.DynamoDbEndpoint,
        Region = _aws.Region,
        Credentials = _aws.Credentials,
        MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
    };
}
