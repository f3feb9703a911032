namespace Kinesis.Clients.Metrics;

/// <summary>
/// The measurement tags <see cref="CloudWatchMetricsPublisher"/> turns into the granularity dimensions; they are
/// also the CloudWatch dimension names, as the KPL spells them.
/// </summary>
public static class MetricsTags
{
    /// <summary>The stream a measurement concerns.</summary>
    public const string StreamName = "StreamName";

    /// <summary>The shard a measurement concerns (with <see cref="StreamName"/>).</summary>
    public const string ShardId = "ShardId";
}
