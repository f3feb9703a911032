using Kinesis.Clients.CloudWatch;

namespace Kinesis.Clients.Metrics;

/// <summary>
/// Turns one interval's series of a metric into CloudWatch data, once per granularity level: every series counts
/// towards its overall series, its stream's series and its shard's series, up to the metric's granularity. Statistic
/// sets merge exactly, so recording touches only the finest series and the coarser ones are summed here.
/// </summary>
internal sealed class MetricRollup
{
    private readonly MetricDimension[] _globalExtras;
    private readonly MetricDimension[] _streamExtras;
    private readonly MetricDimension[] _shardExtras;

    public MetricRollup(IReadOnlyList<AdditionalMetricsDimension> additional)
    {
        _globalExtras = Extras(additional, MetricsGranularity.Global);
        _streamExtras = Extras(additional, MetricsGranularity.Stream);
        _shardExtras = Extras(additional, MetricsGranularity.Shard);
    }

    /// <summary>Appends the data of <paramref name="metric"/> to <paramref name="output"/>.</summary>
    /// <returns>How many series were left out because their statistics fall outside what CloudWatch accepts.</returns>
    public int Append(
        TrackedMetric metric,
        List<(SeriesKey Key, SampleStatistics Statistics)> series,
        DateTimeOffset timestamp,
        List<MetricDatum> output)
    {
        var levels = new Dictionary<SeriesKey, SampleStatistics>();
        foreach (var (key, statistics) in series)
        {
            Merge(levels, key.Global, statistics);
            if (metric.Granularity >= MetricsGranularity.Stream && key.Stream is not null)
            {
                Merge(levels, key.StreamLevel, statistics);
            }

            if (metric.Granularity >= MetricsGranularity.Shard && key.Shard is not null)
            {
                Merge(levels, key, statistics);
            }
        }

        var rejected = 0;
        foreach (var (key, statistics) in levels)
        {
            // Single samples are checked when recorded; a sum of many can still overflow the accepted range.
            if (!MetricDataValidation.IsValidValue(statistics.Sum))
            {
                rejected++;
                continue;
            }

            output.Add(new MetricDatum(metric.Definition.Name)
            {
                Dimensions = Dimensions(metric.Definition, key),
                Unit = metric.Definition.Unit,
                Timestamp = timestamp,
                StatisticValues = new StatisticSet(statistics.Count, statistics.Sum, statistics.Minimum, statistics.Maximum),
            });
        }

        return rejected;
    }

    // The KPL's order: the metric's own tags and the global extras, then the stream and its extras, then the shard
    // and its extras.
    private MetricDimension[] Dimensions(MetricDefinition definition, SeriesKey key)
    {
        var dimensions = new List<MetricDimension>(definition.Dimensions.Count + _globalExtras.Length + 2);
        for (var i = 0; i < definition.Dimensions.Count; i++)
        {
            if (key.Tag(i) is { } value)
            {
                dimensions.Add(new MetricDimension(definition.Dimensions[i], value));
            }
        }

        dimensions.AddRange(_globalExtras);
        if (key.Stream is not null)
        {
            dimensions.Add(new MetricDimension(MetricsTags.StreamName, key.Stream));
            dimensions.AddRange(_streamExtras);
        }

        if (key.Shard is not null)
        {
            dimensions.Add(new MetricDimension(MetricsTags.ShardId, key.Shard));
            dimensions.AddRange(_shardExtras);
        }

        return [.. dimensions];
    }

    private static void Merge(Dictionary<SeriesKey, SampleStatistics> levels, SeriesKey key, in SampleStatistics statistics)
    {
        levels.TryGetValue(key, out var total);
        total.Merge(statistics);
        levels[key] = total;
    }

    private static MetricDimension[] Extras(IReadOnlyList<AdditionalMetricsDimension> additional, MetricsGranularity granularity) =>
        [.. additional.Where(d => d.Granularity == granularity).Select(d => new MetricDimension(d.Name, d.Value))];
}
