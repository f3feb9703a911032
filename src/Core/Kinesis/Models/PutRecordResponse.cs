namespace Kinesis.Clients;

/// <summary>Where Kinesis stored a record.</summary>
/// <param name="ShardId">The shard that took the record.</param>
/// <param name="SequenceNumber">The record's sequence number in that shard.</param>
/// <param name="EncryptionType"><c>NONE</c> or <c>KMS</c>, when reported.</param>
public sealed record PutRecordResponse(string ShardId, string SequenceNumber, string? EncryptionType);
