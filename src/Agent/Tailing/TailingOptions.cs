using System.Text.RegularExpressions;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// How one flow finds and reads its files. Defaults follow the Kinesis Agent's (§8 of the design brief).
/// Validated when a <see cref="FlowTailer"/> is built.
/// </summary>
internal sealed class TailingOptions
{
    /// <summary>The flow's name, used as the checkpoint key. Required.</summary>
    public string FlowId { get; init; } = "";

    /// <summary>
    /// An absolute glob (<c>filePattern</c>): <c>*</c>, <c>?</c> and <c>[abc]</c>/<c>[a-z]</c>/<c>[!abc]</c>
    /// within one path part, in directory parts too; a whole part <c>**</c> is zero or more directories; a
    /// backslash escapes the next character. <c>*</c> also matches names starting with a dot. Required.
    /// </summary>
    public string FilePattern { get; init; } = "";

    /// <summary>
    /// <c>initialPosition</c> END_OF_FILE (<see langword="true"/>, the default) or START_OF_FILE. Only the files that
    /// exist when a flow with no checkpoint at all starts for the first time begin at their end (after their last
    /// complete line); every file found later begins at 0.
    /// </summary>
    public bool StartAtEndOfFile { get; init; } = true;

    /// <summary>
    /// <c>multiLineStartPattern</c>: a record starts at a line matching it and takes the following lines that do
    /// not. Lines before the first matching line form a record of their own (nothing is dropped). Matched
    /// against the line decoded as UTF-8, without its line break.
    /// </summary>
    public Regex? MultiLineStartPattern { get; init; }

    /// <summary>
    /// <c>fileFooterPattern</c>: a record whose text, trimmed as Java's <c>String.trim</c> does, matches it whole ends
    /// the file: neither it nor anything after it is sent (the Java agent's parser stops there).
    /// </summary>
    public Regex? FileFooterPattern { get; init; }

    /// <summary>How long a multi-line record waits for more lines before it is sent anyway. <value>1 s</value></summary>
    public TimeSpan MultiLineFlushTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>skipHeaderLines</c>: lines at the start of each file (read from offset 0) that are not sent. <value>0</value></summary>
    public int SkipHeaderLines { get; init; }

    /// <summary>
    /// Longest record in bytes. A longer one is cut to this size ending with <see cref="TruncatedRecordTerminator"/>,
    /// and the rest of it, up to its line break, is dropped. <value>1 MiB - 256</value>
    /// </summary>
    public int MaxRecordBytes { get; init; } = 1_048_576 - 256;

    /// <summary><c>truncatedRecordTerminator</c>, UTF-8 encoded at the end of a cut record. <value>"\n"</value></summary>
    public string TruncatedRecordTerminator { get; init; } = "\n";

    /// <summary><c>minTimeBetweenFilePolls</c>: how often an idle file is checked for growth. <value>100 ms</value></summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often the pattern is evaluated again for new, rotated and deleted files. <value>1 s</value></summary>
    public TimeSpan DiscoveryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often acknowledged offsets are written to the checkpoint store. <value>1 s</value></summary>
    public TimeSpan CheckpointInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Bytes asked of each read. Larger reads cost less CPU per byte (about 0.9 GB per CPU-second at 64-128 KiB,
    /// 1.3 at 256 KiB, 1.5 at 1 MiB for 100-byte lines); the buffer is given back while a file is idle.
    /// <value>256 KiB</value>
    /// </summary>
    public int ReadBufferBytes { get; init; } = 256 * 1024;

    /// <summary>
    /// Records of one file handed to the sink and not yet acknowledged, beyond which reading that file waits.
    /// Bounds the acknowledgement ring (8 bytes a record at most, so 1 MiB). 13 MB of 100-byte lines in flight
    /// per file keeps a file at well over 100 MB/s when the producer hurries (see IRecordSink.Hurry); a larger
    /// ring only costs memory, regrown for every busy file. <value>131,072</value>
    /// </summary>
    public int MaxPendingRecordsPerFile { get; init; } = 1 << 17;

    /// <summary>
    /// A file no longer reachable through the pattern (rotated away or deleted) is closed once read to its end
    /// and unchanged for this long, because a writer may still append to it shortly after a rename. Also how
    /// long a possible copy of a tailed file must stay unchanged before it is judged. <value>5 s</value>
    /// </summary>
    public TimeSpan RotatedFileQuietPeriod { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Files of this flow held open at once. Beyond it, newly found files wait; a file read to its end (all its complete
    /// lines framed) is then closed to make room and opened again once it grows. <value>1,024</value>
    /// </summary>
    public int MaxOpenFiles { get; init; } = 1024;

    /// <summary>Checkpoints of files not seen for this long are deleted from the store. <value>7 days</value></summary>
    public TimeSpan ForgetCheckpointsAfter { get; init; } = TimeSpan.FromDays(7);

    /// <summary>Describes the first option that is out of range, naming it; null when all are valid.</summary>
    internal string? Validate()
    {
        var terminatorBytes = System.Text.Encoding.UTF8.GetByteCount(TruncatedRecordTerminator ?? "");
        return Check(!string.IsNullOrWhiteSpace(FlowId), nameof(FlowId), "must not be empty", FlowId)
            ?? Check(!string.IsNullOrWhiteSpace(FilePattern) && FilePattern[0] == '/', nameof(FilePattern), "must be an absolute path", FilePattern)
            ?? Check(!FilePattern.EndsWith('/'), nameof(FilePattern), "must name files, not end with '/'", FilePattern)
            ?? Check(MultiLineFlushTimeout > TimeSpan.Zero, nameof(MultiLineFlushTimeout), "must be positive", MultiLineFlushTimeout)
            ?? Check(SkipHeaderLines >= 0, nameof(SkipHeaderLines), "must not be negative", SkipHeaderLines)
            ?? Check(TruncatedRecordTerminator is not null, nameof(TruncatedRecordTerminator), "must not be null", "null")
            ?? Check(MaxRecordBytes > terminatorBytes && MaxRecordBytes <= 64 * 1024 * 1024, nameof(MaxRecordBytes),
                $"must be more than the terminator's {terminatorBytes} bytes and at most 64 MiB", MaxRecordBytes)
            ?? Check(PollInterval > TimeSpan.Zero, nameof(PollInterval), "must be positive", PollInterval)
            ?? Check(DiscoveryInterval > TimeSpan.Zero, nameof(DiscoveryInterval), "must be positive", DiscoveryInterval)
            ?? Check(CheckpointInterval > TimeSpan.Zero, nameof(CheckpointInterval), "must be positive", CheckpointInterval)
            ?? Check(ReadBufferBytes is >= 4096 and <= 16 * 1024 * 1024, nameof(ReadBufferBytes), "must be between 4 KiB and 16 MiB", ReadBufferBytes)
            ?? Check(MaxPendingRecordsPerFile is >= 16 and <= 1 << 26, nameof(MaxPendingRecordsPerFile), "must be between 16 and 2^26", MaxPendingRecordsPerFile)
            ?? Check(MaxOpenFiles is >= 1 and <= 1 << 20, nameof(MaxOpenFiles), "must be between 1 and 2^20", MaxOpenFiles)
            ?? Check(RotatedFileQuietPeriod >= TimeSpan.Zero, nameof(RotatedFileQuietPeriod), "must not be negative", RotatedFileQuietPeriod)
            ?? Check(ForgetCheckpointsAfter > TimeSpan.Zero, nameof(ForgetCheckpointsAfter), "must be positive", ForgetCheckpointsAfter);
    }

    private static string? Check(bool valid, string option, string rule, object? value) =>
        valid ? null : $"TailingOptions.{option} {rule} (was '{value}').";
}
