using System.Collections.Concurrent;
using System.Globalization;
using Kinesis.Clients.CloudWatch;

namespace Kinesis.Clients.Metrics;

/// <summary>
/// One declared metric while it is being recorded: finds the series of each measurement from its tags and adds the
/// value to it. This runs on the recording thread, so it allocates only when a new series appears.
/// </summary>
internal sealed class TrackedMetric
{
    private readonly ConcurrentDictionary<SeriesKey, MetricSeries> _series = new();
    private readonly SeriesBudget _budget;
    private readonly string? _tag0;
    private readonly string? _tag1;
    private readonly string? _tag2;
    private readonly string? _tag3;
    private readonly bool _keepStream;
    private readonly bool _keepShard;
    private long _retired;

    public TrackedMetric(MetricDefinition definition, MetricsGranularity granularity, SeriesBudget budget)
    {
        Definition = definition;
        Granularity = (MetricsGranularity)Math.Min((int)granularity, (int)definition.MaxGranularity);
        _budget = budget;
        var tags = definition.Dimensions;
        _tag0 = tags.Count > 0 ? tags[0] : null;
        _tag1 = tags.Count > 1 ? tags[1] : null;
        _tag2 = tags.Count > 2 ? tags[2] : null;
        _tag3 = tags.Count > 3 ? tags[3] : null;

        // Tags finer than the granularity are not part of the key, so such series merge at once.
        _keepStream = Granularity >= MetricsGranularity.Stream;
        _keepShard = Granularity >= MetricsGranularity.Shard;
    }

    public MetricDefinition Definition { get; }

    /// <summary>The finest level this metric is uploaded at: the configured one, or the metric's own if coarser.</summary>
    public MetricsGranularity Granularity { get; }

    public int SeriesCount => _series.Count;

    /// <summary>Series let go for being idle so far, for diagnostics.</summary>
    public long RetiredSeries => Interlocked.Read(ref _retired);

    public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!MetricDataValidation.IsValidValue(value))
        {
            // One NaN in a statistic set would make CloudWatch refuse the whole request.
            _budget.DroppedInvalid();
            return;
        }

        string? stream = null, shard = null, tag0 = null, tag1 = null, tag2 = null, tag3 = null;
        foreach (var tag in tags)
        {
            // Declared tags first: a metric with a fixed dimension set (MaxGranularity Global) may declare ShardId or
            // StreamName as its own dimensions, as the KCL's per-shard metrics carry ShardId.
            var name = tag.Key;
            if (name == _tag0)
            {
                tag0 = Text(tag.Value);
            }
            else if (name == _tag1)
            {
                tag1 = Text(tag.Value);
            }
            else if (name == _tag2)
            {
                tag2 = Text(tag.Value);
            }
            else if (name == _tag3)
            {
                tag3 = Text(tag.Value);
            }
            else if (name == MetricsTags.StreamName)
            {
                stream = _keepStream ? Text(tag.Value) : null;
            }
            else if (name == MetricsTags.ShardId)
            {
                shard = _keepShard ? Text(tag.Value) : null;
            }
        }

        var key = new SeriesKey(stream, shard, tag0, tag1, tag2, tag3);
        while (true)
        {
            if (!_series.TryGetValue(key, out var series))
            {
                series = Open(key);
                if (series is null)
                {
                    return;
                }
            }

            if (series.TryRecord(value))
            {
                return;
            }

            // Retired by a harvest: make sure it is out of the table (whoever removes it returns its place), then
            // record into a fresh series.
            if (_series.TryRemove(new KeyValuePair<SeriesKey, MetricSeries>(key, series)))
            {
                _budget.Release();
            }
        }
    }

    /// <summary>
    /// Adds every series with samples since the last harvest to <paramref name="into"/>, and retires series that had
    /// none, giving their place back to the budget.
    /// </summary>
    public void Harvest(List<(SeriesKey Key, SampleStatistics Statistics)> into)
    {
        foreach (var (key, series) in _series)
        {
            var statistics = series.Harvest();
            if (statistics.Count == 0)
            {
                series.Retire();
                Interlocked.Increment(ref _retired);
                if (_series.TryRemove(new KeyValuePair<SeriesKey, MetricSeries>(key, series)))
                {
                    _budget.Release();
                }

                // Samples recorded between the harvest above and the retirement.
                statistics = series.Harvest();
            }

            if (statistics.Count > 0)
            {
                into.Add((key, statistics));
            }
        }
    }

    private MetricSeries? Open(SeriesKey key)
    {
        if (!Acceptable(key.Stream) || !Acceptable(key.Shard) || !Acceptable(key.Tag0) || !Acceptable(key.Tag1)
            || !Acceptable(key.Tag2) || !Acceptable(key.Tag3))
        {
            _budget.DroppedInvalid();
            return null;
        }

        if (!_budget.TryTake())
        {
            _budget.DroppedOverLimit();
            return null;
        }

        var created = new MetricSeries(key);
        var series = _series.GetOrAdd(key, created);
        if (!ReferenceEquals(series, created))
        {
            _budget.Release();
        }

        return series;
    }

    private static bool Acceptable(string? dimensionValue) =>
        dimensionValue is null || MetricDataValidation.IsValidDimensionValue(dimensionValue);

    private static string? Text(object? value) =>
        value as string ?? (value is null ? null : Convert.ToString(value, CultureInfo.InvariantCulture));
}
