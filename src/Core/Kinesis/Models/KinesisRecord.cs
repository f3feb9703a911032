namespace Kinesis.Clients;

/// <summary>One record as GetRecords returns it (still aggregated, if it was put aggregated).</summary>
/// <param name="SequenceNumber">The record's sequence number in its shard.</param>
/// <param name="ApproximateArrivalTimestamp">When Kinesis took the record.</param>
/// <param name="PartitionKey">The record's partition key.</param>
/// <param name="Data">The record data.</param>
/// <param name="EncryptionType"><c>NONE</c> or <c>KMS</c>, when reported.</param>
public sealed record KinesisRecord(
    string SequenceNumber,
    DateTimeOffset? ApproximateArrivalTimestamp,
    string PartitionKey,
    ReadOnlyMemory<byte> Data,
    string? EncryptionType);
