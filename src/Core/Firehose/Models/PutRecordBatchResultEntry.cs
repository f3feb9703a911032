namespace Kinesis.Clients.Firehose;

/// <summary>
/// The outcome of one PutRecordBatch entry: a record id on success; an error code and message on failure
/// (<c>ServiceUnavailableException</c> "Slow down." when the delivery stream's quota was exceeded, or
/// <c>InternalFailure</c>).
/// </summary>
/// <param name="RecordId">The id Firehose gave the stored record.</param>
/// <param name="ErrorCode">Why this entry failed.</param>
/// <param name="ErrorMessage">The service's explanation of the failure.</param>
public readonly record struct PutRecordBatchResultEntry(string? RecordId, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>Whether this entry was stored.</summary>
    public bool Succeeded => ErrorCode is null && RecordId is not null;

    /// <summary>Whether it failed because the delivery stream's quota was exceeded.</summary>
    public bool IsThrottling => ErrorCode is not null && FirehoseErrorCodes.IsThrottling(ErrorCode);
}
