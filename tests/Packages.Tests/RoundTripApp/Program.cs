// A user's program, built from the packed Kinesis.Clients packages alone: it creates a stream, produces records
// with KinesisProducer, reads them back with a KinesisConsumer worker and prints what arrived.
using System.Collections.Concurrent;
using System.Text;
using Amazon.Runtime;
using Kinesis.Clients;
using Kinesis.Clients.Consumer;
using Kinesis.Clients.Producer;

string Setting(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
    ? value
    : throw new InvalidOperationException($"{name} is not set.");

var stream = Setting("ROUNDTRIP_STREAM");
var application = Setting("ROUNDTRIP_APPLICATION");
var kinesisEndpoint = new Uri(Setting("ROUNDTRIP_KINESIS_ENDPOINT"));
var dynamoDbEndpoint = new Uri(Setting("ROUNDTRIP_DYNAMODB_ENDPOINT"));
var region = Setting("ROUNDTRIP_REGION");
var count = int.Parse(Setting("ROUNDTRIP_RECORDS"), System.Globalization.CultureInfo.InvariantCulture);
var credentials = new BasicAWSCredentials("AKIDPACKAGETEST", "package-test-secret");

using var kinesis = new KinesisClient(new KinesisClientOptions { Region = region, ServiceUrl = kinesisEndpoint, Credentials = credentials });
await kinesis.CreateStreamAsync(stream, shardCount: 2);
await kinesis.WaitForStreamActiveAsync(stream, TimeSpan.FromSeconds(60));

await using (var producer = new KinesisProducer(new KinesisProducerOptions
{
    Region = region,
    KinesisEndpoint = kinesisEndpoint,
    Credentials = credentials,
    MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
}))
{
    var puts = Enumerable.Range(0, count)
        .Select(i => producer.PutAsync(stream, $"key-{i}", Encoding.UTF8.GetBytes($"record-{i}")));
    await Task.WhenAll(puts);
}

Console.WriteLine($"sent {count}");

var received = new ConcurrentDictionary<string, bool>();
// Well inside the test's six minutes for the whole run, so that a slow machine still gets this program's account.
var patience = TimeSpan.FromMinutes(4);
using var done = new CancellationTokenSource(patience);
await using (var consumer = new KinesisConsumer(
    new KinesisConsumerOptions
    {
        ApplicationName = application,
        StreamName = stream,
        InitialPosition = InitialPosition.TrimHorizon,
        Region = region,
        KinesisEndpoint = kinesisEndpoint,
        DynamoDbEndpoint = dynamoDbEndpoint,
        Credentials = credentials,
        IdleTimeBetweenReads = TimeSpan.FromMilliseconds(200),
        MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
    },
    new Collector(received, count, done)))
{
    try
    {
        await consumer.RunAsync(done.Token);
    }
    catch (OperationCanceledException)
    {
    }
}

Console.WriteLine($"received {received.Count}");
if (received.Count != count)
{
    var missing = Enumerable.Range(0, count).Select(i => $"record-{i}").Where(r => !received.ContainsKey(r)).ToList();
    Console.Error.WriteLine($"{missing.Count} records never arrived in {patience.TotalMinutes:0} minutes, among them {string.Join(", ", missing.Take(10))}");
    return 1;
}

return 0;

internal sealed class Collector(ConcurrentDictionary<string, bool> received, int expected, CancellationTokenSource done)
    : IRecordProcessor, IRecordProcessorFactory
{
    public IRecordProcessor CreateProcessor(string shardId) => this;

    public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
    {
        foreach (var record in input.Records)
        {
            received[Encoding.UTF8.GetString(record.Data.Span)] = true;
        }

        await input.Checkpointer.CheckpointAsync(cancellationToken);
        if (received.Count >= expected)
        {
            await done.CancelAsync();
        }
    }

    public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken) =>
        await input.Checkpointer.CheckpointAsync(cancellationToken);

    public async ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken) =>
        await input.Checkpointer.CheckpointAsync(cancellationToken);
}
