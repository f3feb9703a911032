using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Metrics;

/// <summary>
/// The log lines of the metrics publisher, event ids 1101-1109 in one place. Nothing logged carries credentials or
/// record data; the namespace, counts and the AWS error are enough to diagnose.
/// </summary>
internal static partial class MetricsLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Debug,
        Message = "Uploaded {DatumCount} metric data in {RequestCount} PutMetricData requests to CloudWatch namespace {Namespace}")]
    public static partial void Uploaded(ILogger logger, int datumCount, int requestCount, string @namespace);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning,
        Message = "Uploading {DatumCount} metric data to CloudWatch namespace {Namespace} failed; they are sent again with the next upload")]
    public static partial void UploadFailed(ILogger logger, Exception exception, int datumCount, string @namespace);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning,
        Message = "Dropped {DatumCount} metric data for CloudWatch namespace {Namespace}: their second upload failed or could not be tried")]
    public static partial void DroppedAfterRetry(ILogger logger, Exception? exception, int datumCount, string @namespace);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Error,
        Message = "Dropped {DatumCount} metric data for CloudWatch namespace {Namespace}: the request was refused and sending it again cannot help")]
    public static partial void Rejected(ILogger logger, Exception exception, int datumCount, string @namespace);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Warning,
        Message = "Dropped {MeasurementCount} measurements since the last upload: the limit of {MaxSeries} metric series was reached")]
    public static partial void SeriesLimitReached(ILogger logger, long measurementCount, int maxSeries);

    [LoggerMessage(EventId = 1106, Level = LogLevel.Warning,
        Message = "Dropped {MeasurementCount} measurements since the last upload that CloudWatch would refuse: NaN, infinite or beyond ±2^360, " +
            "or with a stream, shard or dimension tag that is empty, longer than 1024 characters or not printable ASCII")]
    public static partial void InvalidMeasurements(ILogger logger, long measurementCount);

    [LoggerMessage(EventId = 1107, Level = LogLevel.Warning,
        Message = "Left out {SeriesCount} series of metric {MetricName}: their sum is beyond what CloudWatch accepts")]
    public static partial void SeriesOutOfRange(ILogger logger, int seriesCount, string metricName);

    [LoggerMessage(EventId = 1108, Level = LogLevel.Warning,
        Message = "Dropped {DatumCount} metric data for CloudWatch namespace {Namespace} when the publisher stopped: the last upload failed or did not finish within {Timeout}")]
    public static partial void DroppedAtStop(ILogger logger, int datumCount, string @namespace, TimeSpan timeout);

    [LoggerMessage(EventId = 1109, Level = LogLevel.Error,
        Message = "Metrics upload for CloudWatch namespace {Namespace} failed unexpectedly; uploads continue at the next interval")]
    public static partial void UploadCrashed(ILogger logger, Exception exception, string @namespace);
}
