namespace Kinesis.Clients.Agent.Tailing;

/// <summary>Where the tailing of one open file stands, for metrics.</summary>
/// <param name="Path">The path the file was last found under.</param>
/// <param name="Size">The file's size when last looked at.</param>
/// <param name="ReadOffset">The offset up to which records have been handed to the sink.</param>
/// <param name="AcknowledgedOffset">The offset a checkpoint would hold now: every record before it is acknowledged.</param>
/// <param name="RecordsRead">Records handed to the sink since the file was opened.</param>
/// <param name="BytesRead">Bytes read from the file since it was opened.</param>
/// <param name="TruncatedRecords">Records cut to <see cref="TailingOptions.MaxRecordBytes"/> since the file was opened.</param>
internal sealed record FileProgress(
    string Path,
    long Size,
    long ReadOffset,
    long AcknowledgedOffset,
    long RecordsRead,
    long BytesRead,
    long TruncatedRecords)
{
    /// <summary>Bytes in the file not yet acknowledged: the backlog a crash now would re-send.</summary>
    public long BytesBehind => Math.Max(0, Size - AcknowledgedOffset);
}
