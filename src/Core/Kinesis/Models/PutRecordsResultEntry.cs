namespace Kinesis.Clients;

/// <summary>
/// The outcome of one PutRecords entry: a shard id and sequence number on success, an error code
/// and message on failure (e.g. <c>ProvisionedThroughputExceededException</c>, <c>InternalFailure</c>).
/// </summary>
/// <param name="ShardId">The shard that took the record, on success.</param>
/// <param name="SequenceNumber">The record's sequence number, on success.</param>
/// <param name="ErrorCode">Why this entry failed.</param>
/// <param name="ErrorMessage">The service's explanation of the failure.</param>
public readonly record struct PutRecordsResultEntry(string? ShardId, string? SequenceNumber, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>Whether this entry was stored.</summary>
    public bool Succeeded => ErrorCode is null && SequenceNumber is not null;
}
