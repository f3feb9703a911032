using static Kinesis.Clients.Producer.OptionChecks;

namespace Kinesis.Clients.Producer;

/// <summary>The options' checks, with the KPL's ranges where the option is the KPL's (the shared rules: <see cref="OptionChecks"/>).</summary>
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
        RetryDelays(RetryBaseDelay, RetryMaxDelay, nameof(RetryMaxDelay));

        Range(AggregationMaxSize, 64, 1024 * 1024, nameof(AggregationMaxSize));
        Range(AggregationMaxCount, 1, long.MaxValue, nameof(AggregationMaxCount));
        Range(CollectionMaxCount, 1, 500, nameof(CollectionMaxCount));
        Range(CollectionMaxSize, 52_224, 5 * 1024 * 1024, nameof(CollectionMaxSize));
        Range(RateLimit, 1, int.MaxValue, nameof(RateLimit));
        Range(MaxConnections, 1, 256, nameof(MaxConnections));
        Range(MaxUserRecordSize, 1, 10 * 1024 * 1024, nameof(MaxUserRecordSize));
        Range(MaxBufferedRecords, 1, int.MaxValue, nameof(MaxBufferedRecords));
        Range(ProxyPort, 1, 65_535, nameof(ProxyPort));
        BufferHoldsLargestRecord(MaxBufferedBytes, MaxUserRecordSize, $"MaxUserRecordSize ({MaxUserRecordSize})", nameof(MaxBufferedBytes));
        TtlAfterLinger(RecordTtl, RecordMaxBufferedTime, nameof(RecordTtl));
        Defined(MetricsLevel, nameof(MetricsLevel));
        Defined(MetricsGranularity, nameof(MetricsGranularity));
        CloudWatchNamespace(MetricsNamespace, nameof(MetricsNamespace));

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
}
