namespace Kinesis.Clients.Testing;

/// <summary>What one shard saw through a <see cref="KinesisLimitsProxy"/>.</summary>
/// <param name="StreamName">The stream.</param>
/// <param name="ShardId">The shard.</param>
/// <param name="AcceptedRecords">Records accepted (by the backend, in proxy mode).</param>
/// <param name="AcceptedBytes">Data plus UTF-8 partition key bytes of those records: what the write limit counts.</param>
/// <param name="AcceptedDataBytes">Data bytes alone of those records.</param>
/// <param name="ThrottledWrites">Records refused for the write limit (PutRecords entries and PutRecord calls).</param>
/// <param name="ReadCalls">GetRecords calls let through.</param>
/// <param name="ReadRecords">Records those calls returned.</param>
/// <param name="ReadBytes">Data bytes those calls returned: what the read limit counts.</param>
/// <param name="ThrottledReads">GetRecords calls refused for the read limits.</param>
public sealed record ShardTraffic(
    string StreamName,
    string ShardId,
    long AcceptedRecords,
    long AcceptedBytes,
    long AcceptedDataBytes,
    long ThrottledWrites,
    long ReadCalls,
    long ReadRecords,
    long ReadBytes,
    long ThrottledReads);
