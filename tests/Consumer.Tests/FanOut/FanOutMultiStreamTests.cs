using System.Text;
using Kinesis.Clients.Consumer.FanOut;
using Kinesis.Clients.Consumer.Tests.Worker;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.FanOut;

/// <summary>
/// Multi-stream mode over enhanced fan-out: each stream's shards are read through a stream consumer of that stream,
/// registered under the application's name, as the KCL's fan-out retrieval does per <c>StreamConfig</c>.
/// </summary>
[Trait("Category", "Engine")]
public sealed class FanOutMultiStreamTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private readonly LocalAws _aws = fixture.Aws;

    [Fact(Timeout = 240_000)]
    public async Task Two_streams_are_read_each_through_its_own_registered_consumer()
    {
        using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = _aws.KinesisEndpoint, Region = _aws.Region, Credentials = _aws.Credentials });
        await using var orders = await _aws.NewStreamAsync(1, "efo-orders", through: kinesis).WaitAsync(Deadline);
        await using var clicks = await _aws.NewStreamAsync(2, "efo-clicks", through: kinesis).WaitAsync(Deadline);
        await using var server = await SubscribeToShardServer.StartAsync(kinesis).WaitAsync(Deadline);
        using var trusting = new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = _aws.KinesisEndpoint,
            Region = _aws.Region,
            Credentials = _aws.Credentials,
            TrustedCertificates = server.TrustedCertificates,
        });
        var expected = (await PutAsync(kinesis, orders, 30)).Concat(await PutAsync(kinesis, clicks, 40)).Order(StringComparer.Ordinal).ToList();

        var log = new ProcessingLog();
        await using var application = _aws.NewTable("efo-msapp");
        var options = new KinesisConsumerOptions
        {
            ApplicationName = application,
            Streams = new MultiStreamTracker([new StreamConfig(orders), new StreamConfig(clicks)]),
            WorkerId = "w1",
            InitialPosition = InitialPosition.TrimHorizon,
            RetrievalMode = RetrievalMode.EnhancedFanOut,
            FanOut = new FanOutOptions { ServiceUrl = server.Endpoint, ResubscribeInterval = TimeSpan.Zero },
            KinesisClient = trusting,
            FailoverTime = TimeSpan.FromSeconds(3),
            ShardSyncInterval = TimeSpan.FromSeconds(5),
            DynamoDbEndpoint = _aws.DynamoDbEndpoint,
            Region = _aws.Region,
            Credentials = _aws.Credentials,
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
        };
        using var stop = new CancellationTokenSource();
        var consumer = new KinesisConsumer(options, new RecordingFactory(log, "w1"));
        var run = Task.Run(() => consumer.RunAsync(stop.Token));
        try
        {
            await Eventually.HoldsAsync(() => Delivered(log).Count == expected.Count, () => $"{expected.Count} distinct records processed; {Delivered(log).Count} so far", Deadline);
        }
        finally
        {
            await stop.CancelAsync();
            await run.WaitAsync(Deadline);
        }

        Assert.Equal(expected, Delivered(log).Order(StringComparer.Ordinal));

        // One consumer per stream, named for the application, and every subscription through its own stream's.
        var consumerArns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var stream in new[] { orders.Name, clicks.Name })
        {
            var summary = await kinesis.DescribeStreamSummaryAsync(stream, null).WaitAsync(Deadline);
            var registered = await StreamConsumerRegistration.EnsureRegisteredAsync(kinesis, summary.StreamArn, application, Deadline).WaitAsync(Deadline);
            consumerArns[stream] = registered.ConsumerArn;
        }

        Assert.NotEqual(consumerArns[orders.Name], consumerArns[clicks.Name]);
        Assert.Equal(
            new HashSet<string>(consumerArns.Values, StringComparer.Ordinal),
            server.Calls.Select(c => c.ConsumerArn).ToHashSet(StringComparer.Ordinal));
        Assert.Equal(3, server.Calls.Select(c => (c.ConsumerArn, c.ShardId)).Distinct().Count());
    }

    // Data as "stream|i", so the two streams' records cannot be taken for each other.
    private static HashSet<string> Delivered(ProcessingLog log) =>
        log.Records.Select(r => Encoding.UTF8.GetString(r.Record.Data.Span)).ToHashSet(StringComparer.Ordinal);

    private static async Task<List<string>> PutAsync(KinesisClient kinesis, string stream, int count)
    {
        var data = Enumerable.Range(0, count).Select(i => $"{stream}|{i}").ToList();
        var result = await kinesis.PutRecordsAsync(stream, data.Select((d, i) => new PutRecordsEntry($"k{i}", Encoding.UTF8.GetBytes(d))).ToList()).WaitAsync(Deadline);
        Assert.Equal(0, result.FailedRecordCount);
        return data;
    }
}
