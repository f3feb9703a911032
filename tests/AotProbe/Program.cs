using System.Globalization;
using System.Text;
using Kinesis.Clients.Producer;

// A service using KinesisProducer with no credentials in its options, as a library user writes it: AWSSDK.Core's
// default chain finds them (a role profile, web identity, SSO, ...), with no extra registration call.
// Usage: kinesis-aot-probe <kinesis-endpoint> <stream> <count>; region from AWS_REGION.
if (args.Length != 3 || !Uri.TryCreate(args[0], UriKind.Absolute, out var endpoint)
    || !int.TryParse(args[2], NumberStyles.None, CultureInfo.InvariantCulture, out var count))
{
    Console.Error.WriteLine("usage: kinesis-aot-probe <kinesis-endpoint> <stream> <count>");
    return 2;
}

var stream = args[1];
await using var producer = new KinesisProducer(new KinesisProducerOptions
{
    Region = Environment.GetEnvironmentVariable("AWS_REGION") ?? "us-east-1",
    KinesisEndpoint = endpoint,
    MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
    RecordTtl = TimeSpan.FromSeconds(60),
});

try
{
    var puts = Enumerable.Range(0, count)
        .Select(i => producer.PutAsync(stream, $"key-{i}", Encoding.UTF8.GetBytes($"probe record {i}")))
        .ToList();
    var results = await Task.WhenAll(puts).ConfigureAwait(false);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"delivered {results.Length} records to {results.Select(r => r.ShardId).Distinct().Count()} shards"));
    return 0;
}
catch (RecordFailedException ex)
{
    Console.Error.WriteLine($"not delivered: {ex.Message}");
    return 1;
}
