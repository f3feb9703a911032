namespace Kinesis.Clients.CloudWatch;

/// <summary>
/// One data point for PutMetricData: a metric name and dimensions, a unit, a timestamp, and either one
/// <see cref="Value"/> or a <see cref="StatisticSet"/> summarising many observations.
/// </summary>
/// <remarks>
/// Two data are equal when every field is, dimensions compared in order. Timestamps go on the wire with
/// millisecond precision.
/// </remarks>
public sealed record MetricDatum
{
    /// <summary>Creates a datum for <paramref name="metricName"/>; set a value or statistics before sending.</summary>
    /// <param name="metricName">1-255 characters, no control characters.</param>
    public MetricDatum(string metricName)
    {
        MetricName = metricName;
    }

    /// <summary>The metric's name.</summary>
    public string MetricName { get; init; }

    /// <summary>The dimensions, at most 30, names unique. <value>Default: none.</value></summary>
    public IReadOnlyList<MetricDimension> Dimensions { get; init; } = [];

    /// <summary>The unit. <value>Default: <see cref="MetricUnit.None"/>.</value></summary>
    public MetricUnit Unit { get; init; }

    /// <summary>
    /// When the data point was observed: at most two weeks back and two hours ahead of the client's clock.
    /// <value>Default: <see langword="null"/>, the time the service receives it.</value>
    /// </summary>
    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>A single observation; set this or <see cref="StatisticValues"/>, not both.</summary>
    public double? Value { get; init; }

    /// <summary>A summary of many observations; set this or <see cref="Value"/>, not both.</summary>
    public StatisticSet? StatisticValues { get; init; }

    /// <summary>
    /// 1 for a high-resolution metric (stored per second), 60 for standard resolution.
    /// <value>Default: <see langword="null"/>, which the service takes as 60.</value>
    /// </summary>
    public int? StorageResolution { get; init; }

    /// <summary>Whether every field is equal, dimensions compared in order.</summary>
    public bool Equals(MetricDatum? other) =>
        other is not null
        && MetricName == other.MetricName
        && Unit == other.Unit
        && Timestamp == other.Timestamp
        && Value == other.Value
        && StatisticValues == other.StatisticValues
        && StorageResolution == other.StorageResolution
        && (ReferenceEquals(Dimensions, other.Dimensions) || Dimensions.SequenceEqual(other.Dimensions));

    /// <inheritdoc/>
    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(MetricName);
        hash.Add(Unit);
        hash.Add(Timestamp);
        hash.Add(Value);
        hash.Add(StatisticValues);
        hash.Add(StorageResolution);
        foreach (var dimension in Dimensions)
        {
            hash.Add(dimension);
        }

        return hash.ToHashCode();
    }
}
