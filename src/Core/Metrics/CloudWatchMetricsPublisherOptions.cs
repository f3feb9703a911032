using System.Diagnostics.Metrics;
using Kinesis.Clients.CloudWatch;

namespace Kinesis.Clients.Metrics;

/// <summary>
/// Settings for <see cref="CloudWatchMetricsPublisher"/>, read once when it is built; a bad value throws
/// <see cref="ArgumentException"/> naming the option.
/// </summary>
public sealed class CloudWatchMetricsPublisherOptions
{
    /// <summary>The KPL's namespace: <c>KinesisProducerLibrary</c>.</summary>
    public const string DefaultNamespace = "KinesisProducerLibrary";

    /// <summary>
    /// The name of the <see cref="System.Diagnostics.Metrics.Meter"/> whose instruments are uploaded, e.g.
    /// <c>Kinesis.Clients.Producer</c>. Every meter of that name counts. Required unless <see cref="Meter"/> is set.
    /// </summary>
    public string? MeterName { get; set; }

    /// <summary>
    /// One meter instance to upload, instead of every meter named <see cref="MeterName"/>; for a process with several
    /// producers that each publish their own. <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public Meter? Meter { get; set; }

    /// <summary>
    /// The metrics to upload, one definition per instrument name; other instruments are ignored. At least one.
    /// <value>Default: none.</value>
    /// </summary>
    public IReadOnlyList<MetricDefinition> Metrics { get; set; } = [];

    /// <summary>The CloudWatch namespace. <value>Default: <c>KinesisProducerLibrary</c>.</value></summary>
    public string Namespace { get; set; } = DefaultNamespace;

    /// <summary>Which metrics are uploaded. <value>Default: <see cref="MetricsLevel.Detailed"/>.</value></summary>
    public MetricsLevel Level { get; set; } = MetricsLevel.Detailed;

    /// <summary>The finest level metrics are uploaded at. <value>Default: <see cref="MetricsGranularity.Shard"/>.</value></summary>
    public MetricsGranularity Granularity { get; set; } = MetricsGranularity.Shard;

    /// <summary>Fixed dimensions added to every metric. <value>Default: none.</value></summary>
    public IReadOnlyList<AdditionalMetricsDimension> AdditionalDimensions { get; set; } = [];

    /// <summary>
    /// How often the statistics gathered are uploaded, each interval's as one data point per series.
    /// <value>Default: 60 seconds (the KPL's); 1 second to 1 hour.</value>
    /// </summary>
    public TimeSpan UploadInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// How long one upload (every request of one interval) may take before it counts as failed; cut to
    /// <see cref="UploadInterval"/> when longer. <value>Default: 30 seconds.</value>
    /// </summary>
    public TimeSpan UploadTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long <see cref="CloudWatchMetricsPublisher.DisposeAsync"/> tries to upload what is left.
    /// <value>Default: 5 seconds.</value>
    /// </summary>
    public TimeSpan FlushOnDisposeTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The most series tracked at once (one per metric and distinct tag values kept); measurements that would open
    /// another are dropped, counted and logged. Series idle for a whole interval are let go.
    /// <value>Default: 10,000.</value>
    /// </summary>
    public int MaxSeries { get; set; } = 10_000;

    /// <summary>
    /// Metric data per PutMetricData request, 1 to 1,000; requests are also kept under 1,000,000 bytes.
    /// <value>Default: 1,000 (the API's limit).</value>
    /// </summary>
    public int MaxDataPerRequest { get; set; } = CloudWatchLimits.MaxDataPerRequest;

    /// <summary>The clock for intervals, time-outs and timestamps. <value>Default: <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (Meter is null && string.IsNullOrWhiteSpace(MeterName))
        {
            throw new ArgumentException("Set MeterName (or Meter) to the meter whose instruments are uploaded.", nameof(MeterName));
        }

        MetricDataValidation.ValidateNamespace(Namespace, nameof(Namespace));
        RequireDefined(Level, nameof(Level));
        RequireDefined(Granularity, nameof(Granularity));
        RequireTime(UploadInterval, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), nameof(UploadInterval));
        RequireTime(UploadTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), nameof(UploadTimeout));
        RequireTime(FlushOnDisposeTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1), nameof(FlushOnDisposeTimeout));
        if (MaxSeries < 1)
        {
            throw new ArgumentException($"MaxSeries must be at least 1; got {MaxSeries}.", nameof(MaxSeries));
        }

        if (MaxDataPerRequest is < 1 or > CloudWatchLimits.MaxDataPerRequest)
        {
            throw new ArgumentException(
                $"MaxDataPerRequest must be 1 to {CloudWatchLimits.MaxDataPerRequest}; got {MaxDataPerRequest}.", nameof(MaxDataPerRequest));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ValidateAdditionalDimensions();
        ValidateMetrics();
    }

    private void ValidateAdditionalDimensions()
    {
        if (AdditionalDimensions is null)
        {
            throw new ArgumentException("AdditionalDimensions must not be null; use an empty list.", nameof(AdditionalDimensions));
        }

        var names = new HashSet<string>(StringComparer.Ordinal) { MetricsTags.StreamName, MetricsTags.ShardId };
        foreach (var dimension in AdditionalDimensions)
        {
            if (dimension is null)
            {
                throw new ArgumentException("AdditionalDimensions has a null entry.", nameof(AdditionalDimensions));
            }

            MetricDataValidation.ValidateDimensionName(dimension.Name, nameof(AdditionalDimensions));
            if (!MetricDataValidation.IsValidDimensionValue(dimension.Value))
            {
                throw new ArgumentException(
                    $"Additional dimension '{dimension.Name}' needs a value of 1-{CloudWatchLimits.MaxDimensionValueLength} printable ASCII characters.",
                    nameof(AdditionalDimensions));
            }

            RequireDefined(dimension.Granularity, nameof(AdditionalDimensions));
            if (!names.Add(dimension.Name))
            {
                throw new ArgumentException(
                    $"Additional dimension '{dimension.Name}' is given twice or clashes with StreamName/ShardId.", nameof(AdditionalDimensions));
            }
        }
    }

    private void ValidateMetrics()
    {
        if (Metrics is null || Metrics.Count == 0)
        {
            throw new ArgumentException("Metrics must declare at least one metric to upload.", nameof(Metrics));
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var metric in Metrics)
        {
            if (metric is null)
            {
                throw new ArgumentException("Metrics has a null entry.", nameof(Metrics));
            }

            MetricDataValidation.ValidateMetricName(metric.Name, nameof(Metrics));
            if (!names.Add(metric.Name))
            {
                throw new ArgumentException($"Metric '{metric.Name}' is declared twice.", nameof(Metrics));
            }

            if (metric.Level is not (MetricsLevel.Summary or MetricsLevel.Detailed))
            {
                throw new ArgumentException($"Metric '{metric.Name}' must be at level Summary or Detailed; got {metric.Level}.", nameof(Metrics));
            }

            if (!MetricUnitNames.IsDefined(metric.Unit))
            {
                throw new ArgumentException($"Metric '{metric.Name}' has unit {(int)metric.Unit}, not a CloudWatch unit.", nameof(Metrics));
            }

            RequireDefined(metric.MaxGranularity, nameof(Metrics));
            ValidateTagDimensions(metric, nameof(Metrics));
        }
    }

    private void ValidateTagDimensions(MetricDefinition metric, string paramName)
    {
        if (metric.Dimensions is null || metric.Dimensions.Count > MetricDefinition.MaxTagDimensions)
        {
            throw new ArgumentException(
                $"Metric '{metric.Name}' may declare 0 to {MetricDefinition.MaxTagDimensions} tag dimensions; got {metric.Dimensions?.Count}.",
                paramName);
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in metric.Dimensions)
        {
            MetricDataValidation.ValidateDimensionName(name, paramName);
            // StreamName/ShardId are the granularity levels' dimensions; only a metric outside the levels (Global)
            // may have them as its own.
            var levelName = name is MetricsTags.StreamName or MetricsTags.ShardId;
            if ((levelName && metric.MaxGranularity != MetricsGranularity.Global) || !seen.Add(name)
                || AdditionalDimensions.Any(d => d.Name == name))
            {
                throw new ArgumentException(
                    $"Metric '{metric.Name}' declares dimension '{name}' twice, one an additional dimension already gives, or " +
                    "StreamName/ShardId without MaxGranularity Global.",
                    paramName);
            }
        }

        var most = metric.Dimensions.Count + AdditionalDimensions.Count + 2;
        if (most > CloudWatchLimits.MaxDimensions)
        {
            throw new ArgumentException(
                $"Metric '{metric.Name}' could get {most} dimensions (its tags, the additional dimensions, StreamName and " +
                $"ShardId); CloudWatch takes at most {CloudWatchLimits.MaxDimensions}.",
                paramName);
        }
    }

    private static void RequireDefined<T>(T value, string name)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentException($"{name} has an undefined value {value}.", name);
        }
    }

    private static void RequireTime(TimeSpan value, TimeSpan min, TimeSpan max, string name)
    {
        if (value < min || value > max || value == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{name} must be from {min} to {max}; got {value}.", name);
        }
    }
}
