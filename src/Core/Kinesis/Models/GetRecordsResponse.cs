namespace Kinesis.Clients;

/// <summary>The reply to GetRecords.</summary>
/// <param name="Records">The records read, in sequence order.</param>
/// <param name="NextShardIterator">Where to read next; <see langword="null"/> once a closed shard has been read to its end.</param>
/// <param name="MillisBehindLatest">How far the reader is behind the tip of the shard.</param>
/// <param name="ChildShards">At the end of a closed shard, the shards that follow it.</param>
public sealed record GetRecordsResponse(
    IReadOnlyList<KinesisRecord> Records,
    string? NextShardIterator,
    long? MillisBehindLatest,
    IReadOnlyList<ChildShard> ChildShards)
{
    /// <summary>Whether the reader has reached the end of a closed shard.</summary>
    public bool IsShardEnd => NextShardIterator is null;
}
