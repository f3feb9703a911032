namespace Kinesis.Clients.Producer;

/// <summary>
/// What one PutRecords (or Firehose PutRecordBatch) request carried and how it ended, counted in user records (the
/// records callers put, not the aggregates or joined records that carry them). Reported through
/// <see cref="KinesisProducerOptions.OnPutRecordsRequest"/> and <see cref="FirehoseProducerOptions.OnPutRecordBatchRequest"/>,
/// once per request and per retry, for callers that keep per-request metrics (the Kinesis Agent's
/// <c>RecordSendAttempts</c>, <c>ServiceErrors</c>, ...).
/// </summary>
public readonly struct PutRecordsRequestOutcome
{
    /// <summary>Describes a request.</summary>
    public PutRecordsRequestOutcome(string streamName, int userRecords, int userRecordsStored, long userDataBytesStored, int userRecordsFailed, string? requestErrorCode)
    {
        StreamName = streamName;
        UserRecords = userRecords;
        UserRecordsStored = userRecordsStored;
        UserDataBytesStored = userDataBytesStored;
        UserRecordsFailed = userRecordsFailed;
        RequestErrorCode = requestErrorCode;
    }

    /// <summary>The stream (or delivery stream) the request went to.</summary>
    public string StreamName { get; }

    /// <summary>The user records in the request.</summary>
    public int UserRecords { get; }

    /// <summary>The user records in entries Kinesis stored (0 when the request failed as a whole).</summary>
    public int UserRecordsStored { get; }

    /// <summary>The data bytes of those user records (before aggregation framing).</summary>
    public long UserDataBytesStored { get; }

    /// <summary>The user records in entries Kinesis answered with an error code (0 when the request failed as a whole).</summary>
    public int UserRecordsFailed { get; }

    /// <summary>
    /// Why the request failed as a whole (an error code such as <c>ProvisionedThroughputExceededException</c>,
    /// <c>Http503</c> or <c>NetworkError</c>), or <see langword="null"/> when Kinesis answered it.
    /// </summary>
    public string? RequestErrorCode { get; }
}
