namespace Kinesis.Clients.Consumer;

/// <summary>CloudWatch metrics, with the names and defaults of the KCL's MetricsConfig.</summary>
public sealed partial class KinesisConsumerOptions
{
    /// <summary>The value of <see cref="MetricsEnabledDimensions"/> that enables every dimension (the KCL's <c>ALL</c>).</summary>
    public const string MetricsDimensionsAll = "ALL";

    /// <summary>The dimension names the metrics use, as the KCL spells them.</summary>
    public static IReadOnlyList<string> MetricsDimensionNames { get; } = ["Operation", "ShardId", "StreamId", "WorkerIdentifier"];

    /// <summary>
    /// The CloudWatch namespace of the metrics (the KCL's <c>namespace</c>).
    /// <value>Default: <see langword="null"/>, the application name.</value>
    /// </summary>
    public string? MetricsNamespace { get; set; }

    /// <summary>
    /// How long metrics are gathered before they are uploaded (the KCL's <c>metricsBufferTimeMillis</c>).
    /// <value>Default: 10 seconds, as in the KCL; 1 second to 1 hour.</value>
    /// </summary>
    public TimeSpan MetricsBufferTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The most distinct metric data (metric name and dimension values) gathered between uploads; more are dropped
    /// and logged (the KCL's <c>metricsMaxQueueSize</c>). <value>Default: 10,000, as in the KCL.</value>
    /// </summary>
    public int MetricsMaxQueueSize { get; set; } = 10_000;

    /// <summary>
    /// The dimensions uploaded (the KCL's <c>metricsEnabledDimensions</c>): any of <c>ShardId</c>, <c>StreamId</c>,
    /// <c>WorkerIdentifier</c>, or <see cref="MetricsDimensionsAll"/>; <c>Operation</c> is always on. A dimension left out
    /// merges the series it told apart, e.g. without <c>ShardId</c> one <c>RecordsProcessed</c> for all shards.
    /// <value>Default: <c>ALL</c>, as in the KCL.</value>
    /// </summary>
    public IReadOnlySet<string> MetricsEnabledDimensions { get; set; } = new HashSet<string>(StringComparer.Ordinal) { MetricsDimensionsAll };

    internal string EffectiveMetricsNamespace => MetricsNamespace ?? ApplicationName;

    private void ValidateMetrics()
    {
        if (MetricsNamespace is { } ns && (ns.Length is < 1 or > 255 || ns.StartsWith(':') || !ns.All(char.IsAscii)))
        {
            throw new ArgumentException($"MetricsNamespace must be 1 to 255 ASCII characters, not starting with ':'; got '{ns}'.", nameof(MetricsNamespace));
        }

        if (MetricsBufferTime < TimeSpan.FromSeconds(1) || MetricsBufferTime > TimeSpan.FromHours(1))
        {
            throw new ArgumentException($"MetricsBufferTime must be from 1 second to 1 hour; got {MetricsBufferTime}.", nameof(MetricsBufferTime));
        }

        if (MetricsMaxQueueSize < 1)
        {
            throw new ArgumentException($"MetricsMaxQueueSize must be at least 1; got {MetricsMaxQueueSize}.", nameof(MetricsMaxQueueSize));
        }

        if (MetricsEnabledDimensions is null)
        {
            throw new ArgumentException("MetricsEnabledDimensions must not be null; use an empty set for Operation alone.", nameof(MetricsEnabledDimensions));
        }

        foreach (var name in MetricsEnabledDimensions)
        {
            if (name != MetricsDimensionsAll && !MetricsDimensionNames.Contains(name))
            {
                throw new ArgumentException(
                    $"MetricsEnabledDimensions has '{name}'; the dimensions are {string.Join(", ", MetricsDimensionNames)} or {MetricsDimensionsAll}.",
                    nameof(MetricsEnabledDimensions));
            }
        }
    }
}
