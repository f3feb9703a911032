using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>Reads one entry of <c>flows</c> into a <see cref="FlowConfiguration"/>.</summary>
internal static partial class FlowReader
{
    /// <summary>Every key a flow accepts.</summary>
    public static readonly string[] Keys =
    [
        "filePattern", "kinesisStream", "deliveryStream", "partitionKeyOption", "partitionKeyField", "partitionKeyPattern",
        "initialPosition", "maxBufferAgeMillis", "maxBufferSizeRecords", "maxBufferSizeBytes",
        "minTimeBetweenFilePollsMillis", "maxTimeBetweenFileTrackerRefreshMillis",
        "multiLineStartPattern", "multiLineFlushTimeoutMillis", "skipHeaderLines", "truncatedRecordTerminator",
        "maxRecordSizeBytes", "fileFooterPattern", "dataProcessingOptions",
        "waitOnFullPublishQueueMillis", "waitOnEmptyPublishQueueMillis", "retryInitialBackoffMillis",
        "retryMaxBackoffMillis", "publishQueueCapacity", "aggregatedRecordSizeBytes", "log.emitInternalMetrics",
        "waitOnFullRetryQueueMillis", "kplAggregation",
    ];

    /// <summary>Flow keys accepted for compatibility that change nothing.</summary>
    public static readonly string[] NoEffect =
    [
        "waitOnFullPublishQueueMillis", "waitOnEmptyPublishQueueMillis", "retryInitialBackoffMillis",
        "retryMaxBackoffMillis", "publishQueueCapacity", "aggregatedRecordSizeBytes", "log.emitInternalMetrics",
        "waitOnFullRetryQueueMillis",
    ];

    private static readonly IReadOnlyDictionary<string, string> Unsupported = new Dictionary<string, string>(StringComparer.Ordinal);

    private static readonly (string, PartitionKeyOption)[] PartitionKeyOptions =
    [
        ("RANDOM", PartitionKeyOption.Random), ("DETERMINISTIC", PartitionKeyOption.Deterministic),
        ("FIELD", PartitionKeyOption.Field), ("REGEX", PartitionKeyOption.Regex), ("FILE", PartitionKeyOption.File),
    ];

    private static readonly (string, InitialPosition)[] InitialPositions =
    [
        ("START_OF_FILE", InitialPosition.StartOfFile), ("END_OF_FILE", InitialPosition.EndOfFile),
    ];

    /// <summary>Reads the flow at <paramref name="path"/> (like <c>flows[0]</c>) of <paramref name="file"/>.</summary>
    public static FlowConfiguration Read(JsonElement element, string file, string path)
    {
        var o = ConfigObject.Open(element, file, path, Keys, Unsupported);
        var filePattern = FilePattern(o);
        var (stream, deliveryStream) = Destination(o);
        if (deliveryStream is not null)
        {
            RefuseKinesisKeys(o);
        }

        var option = o.Enum("partitionKeyOption", PartitionKeyOption.Random, PartitionKeyOptions);
        var field = o.OptionalString("partitionKeyField");
        var keyPattern = Pattern(o, "partitionKeyPattern", JavaRegexAnchor.None, emptyMeansNone: false);
        CheckPartitionKey(o, option, field, keyPattern);

        var limits = BufferLimits.For(deliveryStream is not null);
        var maxRecordSize = o.Int32("maxRecordSizeBytes", limits.DefaultRecordBytes, 1024, limits.MaxRecordBytes);
        var terminator = o.OptionalString("truncatedRecordTerminator") ?? "\n";
        if (Encoding.UTF8.GetByteCount(terminator) >= maxRecordSize)
        {
            throw o.Error("truncatedRecordTerminator", $"must be shorter than maxRecordSizeBytes ({maxRecordSize} bytes)");
        }

        return new FlowConfiguration
        {
            Id = deliveryStream is null ? $"kinesis:{stream}:{filePattern}" : $"fh:{deliveryStream}:{filePattern}",
            SourceFile = file,
            FilePattern = filePattern,
            KinesisStream = stream,
            DeliveryStream = deliveryStream,
            AggregatedRecordSizeBytes = deliveryStream is null ? 0 : AggregatedRecordSize(o),
            PartitionKeyOption = option,
            PartitionKeyField = field,
            PartitionKeyPattern = keyPattern,
            InitialPosition = o.Enum("initialPosition", InitialPosition.EndOfFile, InitialPositions),
            MaxBufferAge = o.Millis("maxBufferAgeMillis", 60_000, 1_000, 900_000),
            MaxBufferSizeRecords = o.Int32("maxBufferSizeRecords", limits.Records, 1, limits.Records),
            MaxBufferSizeBytes = o.Int32("maxBufferSizeBytes", limits.Bytes, 1, limits.Bytes),
            MinTimeBetweenFilePolls = o.Millis("minTimeBetweenFilePollsMillis", 100, 1, 86_400_000),
            MaxTimeBetweenFileTrackerRefresh = o.Millis("maxTimeBetweenFileTrackerRefreshMillis", 10_000, 1, 86_400_000),
            MultiLineStartPattern = Pattern(o, "multiLineStartPattern", JavaRegexAnchor.Start, emptyMeansNone: true),
            MultiLineFlushTimeout = o.Millis("multiLineFlushTimeoutMillis", 1_000, 1, 3_600_000),
            SkipHeaderLines = o.Int32("skipHeaderLines", 0, 0, int.MaxValue),
            TruncatedRecordTerminator = terminator,
            MaxRecordSizeBytes = maxRecordSize,
            KplAggregation = o.Boolean("kplAggregation", true),
            FileFooterPattern = Pattern(o, "fileFooterPattern", JavaRegexAnchor.Full, emptyMeansNone: true),
            DataProcessingOptions = ProcessingOptionReader.ReadAll(o),
            IgnoredSettings = Ignored(o, deliveryStream is not null),
        };
    }

    /// <summary>Compiles a Java pattern of <paramref name="key"/>, reporting a bad one against the key.</summary>
    internal static Regex? Pattern(ConfigObject o, string key, JavaRegexAnchor anchor, bool emptyMeansNone)
    {
        var text = o.OptionalString(key);
        if (text is null || (text.Length == 0 && emptyMeansNone))
        {
            return null;
        }

        if (text.Length == 0)
        {
            throw o.Error(key, "must not be empty; allowed: a Java regular expression");
        }

        try
        {
            return JavaRegex.Compile(text, anchor);
        }
        catch (RegexParseException e)
        {
            throw o.Error(key, $"'{ConfigObject.Shown(text)}' is not a valid regular expression ({e.Error} in its .NET form at offset {e.Offset}); allowed: a Java regular expression", e);
        }
        catch (ArgumentException e)
        {
            throw o.Error(key, $"'{ConfigObject.Shown(text)}' is not a usable regular expression: {e.Message}; allowed: a Java regular expression without the Java-only syntax listed in the README", e);
        }
    }

    private static void CheckPartitionKey(ConfigObject o, PartitionKeyOption option, string? field, Regex? pattern)
    {
        if (option == PartitionKeyOption.Field)
        {
            if (string.IsNullOrEmpty(field))
            {
                throw o.Error("partitionKeyField", "is required with partitionKeyOption FIELD: the name of the top-level JSON field whose value is the key");
            }
        }
        else if (field is not null)
        {
            throw o.Error("partitionKeyField", $"is only used with partitionKeyOption FIELD, not {Name(option)}");
        }

        if (option == PartitionKeyOption.Regex)
        {
            if (pattern is null)
            {
                throw o.Error("partitionKeyPattern", "is required with partitionKeyOption REGEX: a Java regular expression whose first capture group is the key");
            }

            if (JavaRegex.GroupCount(pattern) < 1)
            {
                throw o.Error("partitionKeyPattern", "must have a capture group: the first group's text becomes the key");
            }
        }
        else if (pattern is not null)
        {
            throw o.Error("partitionKeyPattern", $"is only used with partitionKeyOption REGEX, not {Name(option)}");
        }
    }

    private static string Name(PartitionKeyOption option) => PartitionKeyOptions.First(p => p.Item2 == option).Item1;

    private static string FilePattern(ConfigObject o)
    {
        const string Key = "filePattern";
        var text = o.RequiredString(Key, "an absolute path glob of the files to tail, e.g. /var/log/app/*.log");
        if (!text.StartsWith('/'))
        {
            throw o.Error(Key, $"'{ConfigObject.Shown(text)}' must be an absolute path (start with '/')");
        }

        if (text.EndsWith('/'))
        {
            throw o.Error(Key, $"'{ConfigObject.Shown(text)}' names a directory; it must end with a file name pattern such as *.log");
        }

        if (text.IndexOfAny(['\0', '\\', '{', '}']) >= 0)
        {
            throw o.Error(Key, $"'{ConfigObject.Shown(text)}' uses a NUL, a backslash escape or {{a,b}} alternatives, which are not supported; allowed: * ? [...] [!...] and /**/");
        }

        var normalized = DuplicateSlashes().Replace(text, "/");
        var parts = normalized.Split('/')[1..];
        foreach (var part in parts)
        {
            if (part is "." or "..")
            {
                throw o.Error(Key, $"'{ConfigObject.Shown(text)}' must not contain '.' or '..' parts");
            }

            if (part.Contains("**", StringComparison.Ordinal) && part != "**")
            {
                throw o.Error(Key, $"'{ConfigObject.Shown(text)}': '**' must be a whole path part (/**/), found '{part}'");
            }

            CheckBrackets(o, text, part);
        }

        return parts[^1] == "**"
            ? throw o.Error(Key, $"'{ConfigObject.Shown(text)}' must end with a file name pattern, not '**'")
            : normalized;
    }

    private static void CheckBrackets(ConfigObject o, string text, string part)
    {
        for (var i = 0; i < part.Length; i++)
        {
            if (part[i] != '[')
            {
                continue;
            }

            // As in Java's glob: a leading '!' negates, and a ']' right after the opening bracket is literal.
            var j = i + 1;
            if (j < part.Length && part[j] == '!')
            {
                j++;
            }

            var close = j < part.Length ? part.IndexOf(']', j + 1) : -1;
            if (close < 0)
            {
                throw o.Error("filePattern", $"'{ConfigObject.Shown(text)}' has an unclosed '[' in '{part}'");
            }

            i = close;
        }
    }

    private static Dictionary<string, string> Ignored(ConfigObject o, bool firehose)
    {
        o.Millis("waitOnFullPublishQueueMillis", 60_000, 1_000, 900_000);
        o.Millis("waitOnEmptyPublishQueueMillis", 60_000, 1_000, 900_000);
        o.Millis("retryInitialBackoffMillis", 100, 1, 3_600_000);
        o.Millis("retryMaxBackoffMillis", 10_000, 1, 3_600_000);
        o.Int32("publishQueueCapacity", 100, 1, 1_000_000);
        o.Int32("aggregatedRecordSizeBytes", 0, 0, 1024 * 1024);
        o.Boolean("log.emitInternalMetrics", false);
        o.Int64("waitOnFullRetryQueueMillis", 1_000, 0, long.MaxValue);

        var ignored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in NoEffect)
        {
            if (firehose && key == "aggregatedRecordSizeBytes")
            {
                continue;
            }

            if (o.TryGet(key, out var value))
            {
                ignored[key] = value.GetRawText();
            }
        }

        return ignored;
    }

    [GeneratedRegex(@"\A[a-zA-Z0-9_.-]{1,128}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StreamName();

    [GeneratedRegex("/{2,}", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex DuplicateSlashes();
}
