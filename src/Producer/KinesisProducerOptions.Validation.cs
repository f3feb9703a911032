namespace Kinesis.Clients.Producer;

/// <summary>The options' checks, with the KPL's ranges where the option is the KPL's.</summary>
public sealed partial class KinesisProducerOptions
{
    internal void Validate()
    {
        TimeRange(RecordMaxBufferedTime, TimeSpan.Zero, TimeSpan.MaxValue, nameof(RecordMaxBufferedTime));
        TimeRange(RecordTtl, TimeSpan.FromMilliseconds(100), TimeSpan.MaxValue, nameof(RecordTtl));
        TimeRange(RequestTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(10), nameof(RequestTimeout));
        TimeRange(ConnectTimeout, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5), nameof(ConnectTimeout));
        TimeRange(MetricsUploadDelay, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60), nameof(MetricsUploadDelay));
        Positive(RetryBaseDelay, nameof(RetryBaseDelay));
        Positive(ShutdownTimeout, nameof(ShutdownTimeout));
        Positive(ShardMapRefreshInterval, nameof(ShardMapRefreshInterval));
        if (RetryMaxDelay < RetryBaseDelay)
        {
            throw new ArgumentException(
                $"RetryMaxDelay ({RetryMaxDelay}) must be at least RetryBaseDelay ({RetryBaseDelay}).", nameof(RetryMaxDelay));
        }

        Range(AggregationMaxSize, 64, 1024 * 1024, nameof(AggregationMaxSize));
        Range(AggregationMaxCount, 1, long.MaxValue, nameof(AggregationMaxCount));
        Range(CollectionMaxCount, 1, 500, nameof(CollectionMaxCount));
        Range(CollectionMaxSize, 52_224, 5 * 1024 * 1024, nameof(CollectionMaxSize));
        Range(RateLimit, 1, int.MaxValue, nameof(RateLimit));
        Range(MaxConnections, 1, 256, nameof(MaxConnections));
        Range(MaxUserRecordSize, 1, 10 * 1024 * 1024, nameof(MaxUserRecordSize));
        Range(MaxBufferedRecords, 1, int.MaxValue, nameof(MaxBufferedRecords));
        Range(ProxyPort, 1, 65_535, nameof(ProxyPort));
        if (MaxBufferedBytes < MaxUserRecordSize)
        {
            throw new ArgumentException(
                $"MaxBufferedBytes ({MaxBufferedBytes}) must be at least MaxUserRecordSize ({MaxUserRecordSize}), or the largest record could never be buffered.",
                nameof(MaxBufferedBytes));
        }

        if (RecordTtl <= RecordMaxBufferedTime)
        {
            throw new ArgumentException(
                $"RecordTtl ({RecordTtl}) must be longer than RecordMaxBufferedTime ({RecordMaxBufferedTime}), or records would expire before being sent.",
                nameof(RecordTtl));
        }

        if (!Enum.IsDefined(MetricsLevel))
        {
            throw new ArgumentException($"MetricsLevel must be None, Summary or Detailed; got {(int)MetricsLevel}.", nameof(MetricsLevel));
        }

        if (!Enum.IsDefined(MetricsGranularity))
        {
            throw new ArgumentException($"MetricsGranularity must be Global, Stream or Shard; got {(int)MetricsGranularity}.", nameof(MetricsGranularity));
        }

        // The KPL's pattern (?!AWS/).{1,255}; CloudWatch also refuses a leading ':'.
        if (string.IsNullOrWhiteSpace(MetricsNamespace) || MetricsNamespace.Length > 255 || MetricsNamespace.StartsWith(':')
            || MetricsNamespace.StartsWith("AWS/", StringComparison.Ordinal))
        {
            throw new ArgumentException(
                $"MetricsNamespace must be 1 to 255 characters, not starting with 'AWS/' or ':'; got '{MetricsNamespace}'.", nameof(MetricsNamespace));
        }

        if (!Enum.IsDefined(Protocol))
        {
            throw new ArgumentException($"Protocol must be Cbor or Json; got {(int)Protocol}.", nameof(Protocol));
        }

        if (Compression is null)
        {
            throw new ArgumentException("Compression must be set; use RecordCompression.None for no compression.", nameof(Compression));
        }

        Compression.Validate(nameof(Compression));
        Encryption?.Validate(nameof(Encryption));
        if (Encryption is not null && MaxUserRecordSize <= Encryption.MaxOverhead() + 1024)
        {
            throw new ArgumentException(
                $"MaxUserRecordSize ({MaxUserRecordSize}) must exceed what encryption adds to a record ({Encryption.MaxOverhead()} bytes at most) by 1 KiB.",
                nameof(MaxUserRecordSize));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        if (!string.IsNullOrWhiteSpace(ProxyHost) && ProducerHttp.ProxyUri(this) is null)
        {
            throw new ArgumentException(
                $"ProxyHost must be a host name, an IP address or an http(s) URI such as http://proxy.example.com:8080; got '{ProxyHost}'.", nameof(ProxyHost));
        }

        if (string.IsNullOrWhiteSpace(ProxyHost) && (!string.IsNullOrEmpty(ProxyUserName) || !string.IsNullOrEmpty(ProxyPassword)))
        {
            throw new ArgumentException("ProxyUserName and ProxyPassword need ProxyHost.", nameof(ProxyHost));
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{name} must be a positive, finite time; got {value}.", name);
        }
    }

    private static void TimeRange(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max)
        {
            var upper = max == TimeSpan.MaxValue ? "" : $" and at most {Describe(max)}";
            throw new ArgumentException($"{name} must be at least {Describe(min)}{upper}; got {value}.", name);
        }
    }

    private static string Describe(TimeSpan value) =>
        value.TotalMilliseconds < 1000 ? $"{value.TotalMilliseconds:0.###} ms" : $"{value.TotalSeconds:0.###} s";

    private static void Range(long value, long min, long max, string name)
    {
        if (value < min || value > max)
        {
            throw new ArgumentException($"{name} must be between {min} and {max}; got {value}.", name);
        }
    }
}
