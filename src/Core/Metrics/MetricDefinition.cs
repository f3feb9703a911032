using Kinesis.Clients.CloudWatch;

namespace Kinesis.Clients.Metrics;

/// <summary>
/// How one instrument is uploaded: its level, its CloudWatch unit, and which of its tags become dimensions.
/// Instruments without a definition are not uploaded.
/// </summary>
/// <remarks>
/// The <see cref="MetricsTags.StreamName"/> and <see cref="MetricsTags.ShardId"/> tags are always read, for the
/// granularity levels; any other tag is a dimension only when listed in <see cref="Dimensions"/>, so an
/// unexpected tag (a partition key, say) can never multiply the series.
/// </remarks>
public sealed record MetricDefinition
{
    /// <summary>The most tag dimensions one metric may declare besides stream and shard.</summary>
    public const int MaxTagDimensions = 4;

    /// <summary>Declares a metric.</summary>
    /// <param name="name">The instrument's name, which is also the CloudWatch metric name.</param>
    /// <param name="level">The level it belongs to: <see cref="MetricsLevel.Summary"/> or <see cref="MetricsLevel.Detailed"/>.</param>
    /// <param name="unit">The unit it is uploaded with.</param>
    public MetricDefinition(string name, MetricsLevel level, MetricUnit unit)
    {
        Name = name;
        Level = level;
        Unit = unit;
    }

    /// <summary>The instrument and metric name, e.g. <c>UserRecordsPut</c>.</summary>
    public string Name { get; init; }

    /// <summary>The level the metric belongs to.</summary>
    public MetricsLevel Level { get; init; }

    /// <summary>The CloudWatch unit.</summary>
    public MetricUnit Unit { get; init; }

    /// <summary>
    /// Tags kept as dimensions at every granularity level, in this order before <c>StreamName</c>, e.g.
    /// <c>ErrorCode</c> for <c>ErrorsByCode</c>; at most <see cref="MaxTagDimensions"/>. A measurement without one of
    /// them is uploaded without that dimension. A metric whose <see cref="MaxGranularity"/> is
    /// <see cref="MetricsGranularity.Global"/> may list <c>StreamName</c> or <c>ShardId</c> here: then its dimensions
    /// are exactly its tags, one series per distinct set (the KCL's per-scope dimensions).
    /// <value>Default: none.</value>
    /// </summary>
    public IReadOnlyList<string> Dimensions { get; init; } = [];

    /// <summary>
    /// The finest level this metric exists at, for metrics that are per stream or global by nature (the KPL's
    /// "not available at shard level"). <value>Default: <see cref="MetricsGranularity.Shard"/>.</value>
    /// </summary>
    public MetricsGranularity MaxGranularity { get; init; } = MetricsGranularity.Shard;
}
