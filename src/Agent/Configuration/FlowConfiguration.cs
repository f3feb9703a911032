using System.Text.RegularExpressions;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// One entry of <c>flows</c>: a set of files and the Kinesis stream their records go to. Regexes are Java
/// patterns translated to .NET (see the README), compiled with a <see cref="RegexMatchTimeout"/> match timeout:
/// a match that runs longer throws <see cref="RegexMatchTimeoutException"/>.
/// </summary>
internal sealed class FlowConfiguration
{
    /// <summary>How long one regex match may run before it throws <see cref="RegexMatchTimeoutException"/>.</summary>
    public static readonly TimeSpan RegexMatchTimeout = JavaRegex.MatchTimeout;

    /// <summary>Default and largest <see cref="MaxBufferSizeBytes"/>: 5 MiB, one PutRecords request.</summary>
    public const int MaxPutRecordsBytes = 5 * 1024 * 1024;

    /// <summary>Default and largest <see cref="MaxBufferSizeRecords"/>: 500, one PutRecords request.</summary>
    public const int MaxPutRecordsCount = 500;

    /// <summary>
    /// Default <see cref="MaxRecordSizeBytes"/>: the 1 MiB Kinesis record limit less 1 KiB for the partition key
    /// (256 characters are at most 768 UTF-8 bytes).
    /// </summary>
    public const int DefaultMaxRecordSizeBytes = (1024 * 1024) - 1024;

    /// <summary>Stable identity for checkpoints: <c>kinesis:</c> (or <c>fh:</c>) + destination + <c>:</c> + file pattern, as the Java agent's.</summary>
    public required string Id { get; init; }

    /// <summary>The file this flow was defined in, for messages.</summary>
    public string? SourceFile { get; init; }

    /// <summary>
    /// <c>filePattern</c> (required): an absolute path glob. <c>*</c>, <c>?</c> and <c>[...]</c> may appear in any
    /// part; a part that is exactly <c>**</c> matches any depth of directories. Repeated slashes are collapsed.
    /// </summary>
    public required string FilePattern { get; init; }

    /// <summary><c>kinesisStream</c>: the stream name (1-128 of <c>a-zA-Z0-9_.-</c>); exactly one of it and <see cref="DeliveryStream"/>.</summary>
    public string? KinesisStream { get; init; }

    /// <summary><c>deliveryStream</c>: the Firehose delivery stream name (1-64 of <c>a-zA-Z0-9_.-</c>); exactly one of it and <see cref="KinesisStream"/>.</summary>
    public string? DeliveryStream { get; init; }

    /// <summary>Whether records go to a Firehose delivery stream rather than a Kinesis data stream.</summary>
    public bool IsFirehose => DeliveryStream is not null;

    /// <summary>The stream or delivery stream records go to.</summary>
    public string Destination => DeliveryStream ?? KinesisStream!;

    /// <summary>
    /// <c>aggregatedRecordSizeBytes</c> (Firehose flows; 0 to 1,024,000): consecutive records joined into Firehose
    /// records of up to this size, as the Java agent does. <value>Default: 0, one record per line.</value>
    /// </summary>
    public int AggregatedRecordSizeBytes { get; init; }

    /// <summary><c>partitionKeyOption</c>. <value>Default: <see cref="PartitionKeyOption.Random"/>.</value></summary>
    public PartitionKeyOption PartitionKeyOption { get; init; } = PartitionKeyOption.Random;

    /// <summary><c>partitionKeyField</c>: required exactly when <see cref="PartitionKeyOption"/> is <c>FIELD</c>.</summary>
    public string? PartitionKeyField { get; init; }

    /// <summary><c>partitionKeyPattern</c>: required exactly when <see cref="PartitionKeyOption"/> is <c>REGEX</c>; has at least one group. Unanchored (a search).</summary>
    public Regex? PartitionKeyPattern { get; init; }

    /// <summary><c>initialPosition</c>. <value>Default: <see cref="InitialPosition.EndOfFile"/>.</value></summary>
    public InitialPosition InitialPosition { get; init; } = InitialPosition.EndOfFile;

    /// <summary><c>maxBufferAgeMillis</c> (1 s to 15 min): longest a record waits before it is sent. <value>Default: 60 s.</value></summary>
    public TimeSpan MaxBufferAge { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary><c>maxBufferSizeRecords</c> (1-500): records per send batch. <value>Default: 500.</value></summary>
    public int MaxBufferSizeRecords { get; init; } = MaxPutRecordsCount;

    /// <summary><c>maxBufferSizeBytes</c> (1 to 5 MiB): bytes per send batch. <value>Default: 5 MiB.</value></summary>
    public int MaxBufferSizeBytes { get; init; } = MaxPutRecordsBytes;

    /// <summary>
    /// <c>multiLineStartPattern</c>: a line for which <c>IsMatch</c> is true starts a new record (anchored at the
    /// line's start, need not span it: Java's <c>lookingAt</c>). <value>Default: <see langword="null"/>, one record per line.</value>
    /// </summary>
    public Regex? MultiLineStartPattern { get; init; }

    /// <summary><c>multiLineFlushTimeoutMillis</c> (our addition): the last multi-line record is sent after this much quiet. <value>Default: 1 s.</value></summary>
    public TimeSpan MultiLineFlushTimeout { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary><c>skipHeaderLines</c> (0 or more): lines skipped at the start of each file. <value>Default: 0.</value></summary>
    public int SkipHeaderLines { get; init; }

    /// <summary><c>truncatedRecordTerminator</c>: ends a record cut to <see cref="MaxRecordSizeBytes"/>. <value>Default: <c>"\n"</c>.</value></summary>
    public string TruncatedRecordTerminator { get; init; } = "\n";

    /// <summary>
    /// <c>maxRecordSizeBytes</c> (our addition): longer records are cut to this size, terminator included.
    /// <value>Default: <see cref="DefaultMaxRecordSizeBytes"/>.</value>
    /// </summary>
    public int MaxRecordSizeBytes { get; init; } = DefaultMaxRecordSizeBytes;

    /// <summary>
    /// <c>kplAggregation</c> (our addition): pack the flow's records into KPL aggregates (what the KCL, Lambda's
    /// de-aggregation helpers, Firehose and Flink read). <see langword="false"/> sends one Kinesis record per record,
    /// as the Java agent does, for consumers that read raw records. <value>Default: <see langword="true"/>.</value>
    /// </summary>
    public bool KplAggregation { get; init; } = true;

    /// <summary><c>minTimeBetweenFilePollsMillis</c> (1 ms or more): how often files are checked for new data. <value>Default: 100 ms.</value></summary>
    public TimeSpan MinTimeBetweenFilePolls { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary><c>maxTimeBetweenFileTrackerRefreshMillis</c>: the matching files are listed again at least this often. <value>Default: 10 s.</value></summary>
    public TimeSpan MaxTimeBetweenFileTrackerRefresh { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>fileFooterPattern</c>: a record whose trimmed text matches it whole (Java's <c>matches</c>) ends the file:
    /// neither it nor anything after it is sent. <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public Regex? FileFooterPattern { get; init; }

    /// <summary><c>dataProcessingOptions</c>: applied to each record in order. <value>Default: none.</value></summary>
    public IReadOnlyList<DataProcessingOption> DataProcessingOptions { get; init; } = [];

    /// <summary>
    /// Flow keys accepted for compatibility with the Java agent that change nothing here (its publish queue,
    /// per-flow retry backoff, Firehose aggregation), with their values as written. See the README.
    /// </summary>
    public IReadOnlyDictionary<string, string> IgnoredSettings { get; init; } = new Dictionary<string, string>();
}
