using System.Text;
using Kinesis.Clients;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Testing;

// Puts records into a stream on the local engines (or KINESIS_CLIENTS_ENDPOINT) and reads them back:
// plain records with PutRecord and PutRecords, and one KPL-format aggregate that is de-aggregated on the way out.
var deadline = TimeSpan.FromSeconds(60);
var aws = await LocalAws.GetAsync().WaitAsync(TimeSpan.FromSeconds(120));
Console.WriteLine(aws.IsExternal
    ? $"Using the endpoint in {LocalAws.EndpointVariable}: {aws.KinesisEndpoint}"
    : $"Started kinesis-mock at {aws.KinesisEndpoint} and dynalite at {aws.DynamoDbEndpoint}");

using var kinesis = new KinesisClient(new KinesisClientOptions
{
    ServiceUrl = aws.KinesisEndpoint,
    Region = aws.Region,
    Credentials = aws.Credentials,
});

var stream = LocalAws.UniqueName("demo");
await kinesis.CreateStreamAsync(stream, shardCount: 2).WaitAsync(deadline);
await kinesis.WaitForStreamActiveAsync(stream, deadline);
Console.WriteLine($"Created stream {stream} with 2 shards ({kinesis.Protocol} on the wire)");

var sent = new List<(string Key, string Text)>();

var hello = await kinesis.PutRecordAsync(new PutRecordRequest
{
    StreamName = stream,
    PartitionKey = "greeting",
    Data = Encoding.UTF8.GetBytes("hello from Kinesis.Clients"),
}).WaitAsync(deadline);
sent.Add(("greeting", "hello from Kinesis.Clients"));
Console.WriteLine($"PutRecord   -> {hello.ShardId} #{hello.SequenceNumber}");

var batch = Enumerable.Range(1, 5).Select(i => (Key: $"order-{i}", Text: $"order {i} placed")).ToList();
var batchResult = await kinesis.PutRecordsAsync(
    stream,
    batch.Select(r => new PutRecordsEntry(r.Key, Encoding.UTF8.GetBytes(r.Text))).ToList()).WaitAsync(deadline);
sent.AddRange(batch);
Console.WriteLine($"PutRecords  -> {batch.Count} records, {batchResult.FailedRecordCount} failed");

// Three user records in one Kinesis record, in the KPL's aggregation format.
using var aggregate = new AggregateBuilder();
var aggregated = new[] { ("sensor-a", "21.5 C"), ("sensor-b", "19.0 C"), ("sensor-a", "21.7 C") };
foreach (var (key, text) in aggregated)
{
    if (!aggregate.TryAdd(key, null, Encoding.UTF8.GetBytes(text)))
    {
        throw new InvalidOperationException("The demo aggregate should fit in one Kinesis record.");
    }
}

var aggregateResult = await kinesis.PutRecordAsync(new PutRecordRequest
{
    StreamName = stream,
    PartitionKey = aggregate.KinesisPartitionKey,
    ExplicitHashKey = aggregate.KinesisExplicitHashKey,
    Data = aggregate.ToKinesisData(),
}).WaitAsync(deadline);
sent.AddRange(aggregated);
Console.WriteLine($"Aggregate   -> {aggregated.Length} user records in one {aggregate.KinesisDataLength}-byte Kinesis record on {aggregateResult.ShardId}");

Console.WriteLine();
Console.WriteLine("Reading every shard from the trim horizon:");
var received = new List<(string Key, string Text)>();
foreach (var shard in await kinesis.ListAllShardsAsync(stream).WaitAsync(deadline))
{
    var iterator = await kinesis.GetShardIteratorAsync(new GetShardIteratorRequest
    {
        StreamName = stream,
        ShardId = shard.ShardId,
        IteratorType = ShardIteratorType.TrimHorizon,
    }).WaitAsync(deadline);
    while (iterator is not null)
    {
        var page = await kinesis.GetRecordsAsync(iterator).WaitAsync(deadline);
        foreach (var record in page.Records)
        {
            foreach (var user in Deaggregator.Deaggregate(record.PartitionKey, record.Data))
            {
                var text = Encoding.UTF8.GetString(user.Data.Span);
                received.Add((user.PartitionKey, text));
                var where = user.IsAggregated ? $"#{record.SequenceNumber}/{user.SubSequenceNumber}" : $"#{record.SequenceNumber}";
                Console.WriteLine($"  {shard.ShardId} {where,-62} {user.PartitionKey,-10} {text}");
            }
        }

        iterator = page.Records.Count == 0 && page.MillisBehindLatest is 0 or null ? null : page.NextShardIterator;
    }
}

await kinesis.DeleteStreamAsync(stream).WaitAsync(deadline);

var missing = sent.Except(received).ToList();
Console.WriteLine();
Console.WriteLine($"Sent {sent.Count} user records, received {received.Count}, missing {missing.Count}.");
return missing.Count == 0 && received.Count == sent.Count ? 0 : 1;
