namespace Kinesis.Clients.Firehose;

/// <summary>
/// The reply to PutRecordBatch. The call succeeds as a whole even when entries fail: every entry has its own
/// result, in request order, and <see cref="FailedPutCount"/> says how many failed.
/// </summary>
/// <param name="FailedPutCount">How many entries failed (counted from the entries, never fewer than the service says).</param>
/// <param name="Encrypted">Whether server-side encryption was on, when reported.</param>
/// <param name="Results">One result per request entry, in request order.</param>
public sealed record PutRecordBatchResponse(int FailedPutCount, bool? Encrypted, IReadOnlyList<PutRecordBatchResultEntry> Results);
