namespace Kinesis.Clients.CloudWatch;

/// <summary>
/// The PutMetricData limits <see cref="CloudWatchClient"/> checks before sending, from the CloudWatch API reference.
/// </summary>
public static class CloudWatchLimits
{
    /// <summary>Metric data per PutMetricData request: 1,000 (formerly 20).</summary>
    public const int MaxDataPerRequest = 1000;

    /// <summary>
    /// The largest form-encoded request body sent: 1,000,000 bytes. The API allows "1 MB" per POST (raised from
    /// 40 KB, which the service measured as 40,960 bytes); staying under 10^6 holds whichever megabyte is meant.
    /// </summary>
    public const int MaxPayloadBytes = 1_000_000;

    /// <summary>Dimensions per metric datum: 30.</summary>
    public const int MaxDimensions = 30;

    /// <summary>Characters in a namespace, metric name or dimension name: 1-255.</summary>
    public const int MaxNameLength = 255;

    /// <summary>Characters in a dimension value: 1-1,024.</summary>
    public const int MaxDimensionValueLength = 1024;

    /// <summary>
    /// The largest magnitude of a value or statistic: 2^360 (CloudWatch rejects larger ones, NaN and infinities).
    /// </summary>
    public static readonly double MaxValueMagnitude = Math.Pow(2, 360);

    /// <summary>How far back a timestamp may lie: two weeks.</summary>
    public static readonly TimeSpan MaxTimestampAge = TimeSpan.FromDays(14);

    /// <summary>How far ahead a timestamp may lie: two hours.</summary>
    public static readonly TimeSpan MaxTimestampLead = TimeSpan.FromHours(2);
}
