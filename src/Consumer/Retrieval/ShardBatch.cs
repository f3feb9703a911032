using Kinesis.Clients.Consumer.Positions;

namespace Kinesis.Clients.Consumer.Retrieval;

/// <summary>
/// What one read of a shard delivered to the consumer: the user records of one GetRecords page (polling) or one
/// SubscribeToShard event (enhanced fan-out), already de-aggregated and with the already-checkpointed sub-records
/// of a resumed aggregate left out.
/// </summary>
/// <param name="Records">The user records in shard order; may be empty (the batch still moves the position or reports the lag).</param>
/// <param name="MillisBehindLatest">How far the read was behind the tip of the shard; <see langword="null"/> if not reported.</param>
/// <param name="IsShardEnd">
/// Whether the shard is closed and read to its end: this is the last batch, and <paramref name="ChildShards"/>
/// says where the records continue.
/// </param>
/// <param name="ChildShards">At the shard end, the shards that follow it; else empty.</param>
/// <param name="NextPosition">
/// Where a reader started afresh would continue right after this batch. Unchanged from the previous batch when
/// no Kinesis record was read.
/// </param>
/// <param name="OutOfRangeRecords">
/// Sub-records of aggregates in <paramref name="Records"/> whose hash key lies outside the shard's range. They
/// are delivered anyway (the KCL drops them); the count is for a metric.
/// </param>
/// <param name="UndecodableRecords">
/// Kinesis records in a compressed record envelope that did not open; each is delivered as it is, one record.
/// The count is for a metric.
/// </param>
internal sealed record ShardBatch(
    IReadOnlyList<ConsumerRecord> Records,
    long? MillisBehindLatest,
    bool IsShardEnd,
    IReadOnlyList<ChildShard> ChildShards,
    StartingPosition NextPosition,
    int OutOfRangeRecords = 0,
    int UndecodableRecords = 0);
