namespace Kinesis.Clients;

/// <summary>One <c>SubscribeToShardEvent</c>: the records pushed since the previous one, and where to resume.</summary>
/// <param name="Records">The records, in shard order, still aggregated if they were put aggregated; empty when the shard was idle.</param>
/// <param name="ContinuationSequenceNumber">
/// Where the next subscription resumes (after it); advances even when no records arrive. <see langword="null"/>
/// only at the end of a closed shard.
/// </param>
/// <param name="MillisBehindLatest">How far the records are from the tip of the shard; 0 when caught up.</param>
/// <param name="ChildShards">The shards this one continues in; given only at its end.</param>
public sealed record SubscribeToShardEvent(
    IReadOnlyList<KinesisRecord> Records,
    string? ContinuationSequenceNumber,
    long MillisBehindLatest,
    IReadOnlyList<ChildShard> ChildShards)
{
    /// <summary>
    /// Whether this is the shard's last event: the shard is closed (split or merged) and everything in it has been
    /// delivered. As in the KCL, a missing continuation sequence number is what marks it; <see cref="ChildShards"/>
    /// then names the children.
    /// </summary>
    public bool IsShardEnd => ContinuationSequenceNumber is null;
}
