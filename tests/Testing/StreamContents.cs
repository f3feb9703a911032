using Kinesis.Clients.Aggregation;

namespace Kinesis.Clients.Testing;

/// <summary>One user record read back from a stream (de-aggregated), with where it was read.</summary>
/// <param name="ShardId">The shard it was read from.</param>
/// <param name="SequenceNumber">The sequence number of the Kinesis record it travelled in.</param>
/// <param name="SubSequenceNumber">Its index inside that Kinesis record (0 when not aggregated).</param>
/// <param name="PartitionKey">Its own partition key.</param>
/// <param name="Data">Its data.</param>
public sealed record StreamRecord(string ShardId, string SequenceNumber, long SubSequenceNumber, string PartitionKey, ReadOnlyMemory<byte> Data);

/// <summary>Reads everything a stream holds, for tests that check what arrived.</summary>
public static class StreamContents
{
    /// <summary>
    /// Every user record of every shard (closed ones too), de-aggregated, in shard order and, within a shard,
    /// in the order the shard stored them.
    /// </summary>
    public static async Task<List<StreamRecord>> ReadAllAsync(KinesisClient client, string stream, CancellationToken cancellationToken = default) =>
        (await ReadWithShardsAsync(client, stream, cancellationToken).ConfigureAwait(false))
            .ConvertAll(r => new StreamRecord(r.Shard.ShardId, r.SequenceNumber, r.User.SubSequenceNumber, r.User.PartitionKey, r.User.Data));

    /// <summary>As <see cref="ReadAllAsync"/>, with each record's whole shard (its hash key range, its parent).</summary>
    public static async Task<List<(Shard Shard, string SequenceNumber, DeaggregatedRecord User)>> ReadWithShardsAsync(
        KinesisClient client, string stream, CancellationToken cancellationToken = default)
    {
        var result = new List<(Shard, string, DeaggregatedRecord)>();
        foreach (var shard in await client.ListAllShardsAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false))
        {
            var iterator = await client.GetShardIteratorAsync(
                new GetShardIteratorRequest { StreamName = stream, ShardId = shard.ShardId, IteratorType = ShardIteratorType.TrimHorizon },
                cancellationToken).ConfigureAwait(false);
            while (iterator is not null)
            {
                var page = await client.GetRecordsAsync(iterator, cancellationToken: cancellationToken).ConfigureAwait(false);
                foreach (var record in page.Records)
                {
                    foreach (var user in Deaggregator.Deaggregate(record.PartitionKey, record.Data))
                    {
                        result.Add((shard, record.SequenceNumber, user));
                    }
                }

                // kinesis-mock reports 0 ms behind at the tip; an empty page there means the shard is read.
                iterator = page.Records.Count == 0 && page.MillisBehindLatest is 0 or null ? null : page.NextShardIterator;
            }
        }

        return result;
    }
}
