namespace Kinesis.Clients.Firehose;

/// <summary>The reply to PutRecord.</summary>
/// <param name="RecordId">The id Firehose gave the stored record.</param>
/// <param name="Encrypted">Whether server-side encryption was on, when reported.</param>
public sealed record PutRecordResponse(string RecordId, bool? Encrypted);
