using Kinesis.Clients.Records;

namespace Kinesis.Clients;

/// <summary>One shard of a stream, as ListShards describes it.</summary>
/// <param name="ShardId">The shard id, e.g. <c>shardId-000000000000</c>.</param>
/// <param name="ParentShardId">The shard this one was split from, or one of the two merged into it.</param>
/// <param name="AdjacentParentShardId">The other parent of a merged shard.</param>
/// <param name="HashKeyRange">The hash keys the shard owns, both ends inclusive.</param>
/// <param name="StartingSequenceNumber">The first sequence number of the shard.</param>
/// <param name="EndingSequenceNumber">The last sequence number of a closed shard; <see langword="null"/> while open.</param>
public sealed record Shard(
    string ShardId,
    string? ParentShardId,
    string? AdjacentParentShardId,
    HashKeyRange HashKeyRange,
    string StartingSequenceNumber,
    string? EndingSequenceNumber)
{
    /// <summary>Whether the shard still accepts records (it has no ending sequence number).</summary>
    public bool IsOpen => EndingSequenceNumber is null;

    /// <summary>Whether <paramref name="hashKey"/> falls within this shard's range.</summary>
    public bool Contains(HashKey hashKey) => HashKeyRange.Contains(hashKey);
}
