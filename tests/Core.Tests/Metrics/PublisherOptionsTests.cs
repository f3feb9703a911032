using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Tests.Metrics;

/// <summary>Bad options fail when the publisher is built, naming the option.</summary>
public sealed class PublisherOptionsTests
{
    public static TheoryData<string, Action<CloudWatchMetricsPublisherOptions>> BadOptions => new()
    {
        { "MeterName", o => o.MeterName = " " },
        { "Namespace", o => o.Namespace = "AWS/Kinesis" },
        { "Namespace", o => o.Namespace = "" },
        { "Level", o => o.Level = (MetricsLevel)7 },
        { "Granularity", o => o.Granularity = (MetricsGranularity)(-1) },
        { "UploadInterval", o => o.UploadInterval = TimeSpan.FromMilliseconds(500) },
        { "UploadInterval", o => o.UploadInterval = TimeSpan.FromHours(2) },
        { "UploadTimeout", o => o.UploadTimeout = TimeSpan.Zero },
        { "FlushOnDisposeTimeout", o => o.FlushOnDisposeTimeout = Timeout.InfiniteTimeSpan },
        { "MaxSeries", o => o.MaxSeries = 0 },
        { "MaxDataPerRequest", o => o.MaxDataPerRequest = 1001 },
        { "MaxDataPerRequest", o => o.MaxDataPerRequest = 0 },
        { "Metrics", o => o.Metrics = [] },
        { "Metrics", o => o.Metrics = [Metric("A"), Metric("A")] },
        { "Metrics", o => o.Metrics = [Metric("A") with { Level = MetricsLevel.None }] },
        { "Metrics", o => o.Metrics = [Metric("A") with { Unit = (MetricUnit)99 }] },
        { "Metrics", o => o.Metrics = [Metric("A") with { Dimensions = ["StreamName"] }] },
        { "Metrics", o => o.Metrics = [Metric("A") with { Dimensions = ["a", "b", "c", "d", "e"] }] },
        { "Metrics", o => o.Metrics = [Metric("A") with { Dimensions = ["E", "E"] }] },
        { "Metrics", o => o.Metrics = [Metric(new string('m', 256))] },
        { "AdditionalDimensions", o => o.AdditionalDimensions = [new("ShardId", "x", MetricsGranularity.Global)] },
        { "AdditionalDimensions", o => o.AdditionalDimensions = [new("Host", "", MetricsGranularity.Global)] },
        { "AdditionalDimensions", o => o.AdditionalDimensions = [new("Host", "a", (MetricsGranularity)5)] },
        {
            "Metrics", o => o.AdditionalDimensions =
                [.. Enumerable.Range(0, 29).Select(i => new AdditionalMetricsDimension($"D{i}", "v", MetricsGranularity.Global))]
        },
    };

    [Theory]
    [MemberData(nameof(BadOptions))]
    public void Bad_options_name_themselves(string option, Action<CloudWatchMetricsPublisherOptions> spoil)
    {
        var options = Valid();
        spoil(options);

        var ex = Assert.Throws<ArgumentException>(() => new CloudWatchMetricsPublisher(options, null, (_, _, _) => Task.CompletedTask));

        Assert.Equal(option, ex.ParamName);
    }

    [Fact]
    public void Defaults_are_the_KPL_ones()
    {
        var options = new CloudWatchMetricsPublisherOptions();

        Assert.Equal("KinesisProducerLibrary", options.Namespace);
        Assert.Equal(MetricsLevel.Detailed, options.Level);
        Assert.Equal(MetricsGranularity.Shard, options.Granularity);
        Assert.Equal(TimeSpan.FromSeconds(60), options.UploadInterval);
        Assert.Equal(10_000, options.MaxSeries);
        Assert.Equal(1000, options.MaxDataPerRequest);
    }

    [Fact]
    public void The_most_dimensions_a_metric_can_get_is_30()
    {
        var options = Valid();
        options.Metrics = [Metric("A") with { Dimensions = ["E"] }];
        options.AdditionalDimensions = [.. Enumerable.Range(0, 27).Select(i => new AdditionalMetricsDimension($"D{i}", "v", MetricsGranularity.Shard))];

        options.Validate();
    }

    [Fact]
    public void A_client_is_required()
    {
        Assert.Throws<ArgumentNullException>(() => new CloudWatchMetricsPublisher((global::Kinesis.Clients.CloudWatch.CloudWatchClient)null!, Valid()));
    }

    private static CloudWatchMetricsPublisherOptions Valid() => new() { MeterName = "m", Metrics = [Metric("A")] };

    private static MetricDefinition Metric(string name) => new(name, MetricsLevel.Detailed, MetricUnit.Count);
}
