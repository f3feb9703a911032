using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Testing;

/// <summary>Kinesis clients of the local engine and the few steps every engine-backed test takes with them.</summary>
public static class EngineClients
{
    /// <summary>How long one call to the engine may take before the test fails (cold starts included).</summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    /// <summary>A client of the local kinesis-mock speaking <paramref name="protocol"/>.</summary>
    public static KinesisClient Client(LocalAws aws, WireProtocol protocol) => new(new KinesisClientOptions
    {
        ServiceUrl = aws.KinesisEndpoint,
        Region = aws.Region,
        Credentials = aws.Credentials,
        Protocol = protocol,
    });

    /// <summary>
    /// Creates a stream through <paramref name="client"/> and waits until it is active; disposing it deletes it
    /// (<c>await using</c>). <paramref name="peakShards"/>: the most shards open at once when the test reshards it.
    /// </summary>
    public static async Task<TestStream> NewStreamAsync(KinesisClient client, int shards, string prefix = "core", int? peakShards = null)
    {
        var aws = await LocalAws.GetAsync().WaitAsync(Deadline);
        return await aws.NewStreamAsync(shards, prefix, peakShards, through: client);
    }

    /// <summary>Reads a shard from the trim horizon until it reports no more records (or its end).</summary>
    public static async Task<List<KinesisRecord>> ReadShardAsync(KinesisClient client, string stream, string shardId, int expectedAtLeast = 0)
    {
        var records = new List<KinesisRecord>();
        var iterator = await client.GetShardIteratorAsync(new GetShardIteratorRequest
        {
            StreamName = stream,
            ShardId = shardId,
            IteratorType = ShardIteratorType.TrimHorizon,
        }).WaitAsync(Deadline);
        var emptyReads = 0;
        while (iterator is not null && emptyReads < 3)
        {
            var page = await client.GetRecordsAsync(iterator).WaitAsync(Deadline);
            records.AddRange(page.Records);
            iterator = page.NextShardIterator;
            if (page.Records.Count == 0)
            {
                if (records.Count >= expectedAtLeast && page.MillisBehindLatest is 0 or null)
                {
                    emptyReads++;
                }
            }
        }

        return records;
    }
}
