namespace Kinesis.Clients;

/// <summary>
/// The reply to PutRecords. The call succeeds as a whole even when entries fail: every entry has
/// its own result, in request order, and <see cref="FailedRecordCount"/> says how many failed.
/// </summary>
/// <param name="FailedRecordCount">How many entries failed.</param>
/// <param name="Records">One result per request entry, in request order.</param>
/// <param name="EncryptionType"><c>NONE</c> or <c>KMS</c>, when reported.</param>
public sealed record PutRecordsResponse(int FailedRecordCount, IReadOnlyList<PutRecordsResultEntry> Records, string? EncryptionType);
