using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Tests.Metrics;

/// <summary>KPL granularity, levels and dimensions: which series a measurement is uploaded in.</summary>
public sealed class PublisherGranularityTests
{
    private static readonly KeyValuePair<string, object?> Orders = new("StreamName", "orders");
    private static readonly KeyValuePair<string, object?> Shard1 = new("ShardId", "shardId-000000000001");

    [Fact(Timeout = 30_000)]
    public async Task Shard_granularity_uploads_overall_stream_and_shard_series()
    {
        await using var h = await PublisherHarness.StartAsync();
        h.Meter.CreateCounter<long>("UserRecordsPut").Add(2, Orders, Shard1);

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Equal(3, calls.Named("UserRecordsPut").Count());
        Assert.Equal(2, calls.Single("UserRecordsPut").StatisticValues!.Value.Sum);
        Assert.Equal(2, calls.Single("UserRecordsPut", ("StreamName", "orders")).StatisticValues!.Value.Sum);
        Assert.Equal(2, calls.Single("UserRecordsPut", ("StreamName", "orders"), ("ShardId", "shardId-000000000001")).StatisticValues!.Value.Sum);
    }

    [Fact(Timeout = 30_000)]
    public async Task Two_streams_of_two_shards_give_seven_series_as_in_the_KPL_docs()
    {
        await using var h = await PublisherHarness.StartAsync();
        var put = h.Meter.CreateCounter<long>("UserRecordsPut");
        foreach (var stream in new[] { "a", "b" })
        {
            foreach (var (shard, count) in new[] { ("s0", 1), ("s1", 10) })
            {
                put.Add(count, new("StreamName", stream), new("ShardId", shard));
            }
        }

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Equal(7, calls.Named("UserRecordsPut").Count());
        Assert.Equal(new(4, 22, 1, 10), calls.Single("UserRecordsPut").StatisticValues);
        Assert.Equal(new(2, 11, 1, 10), calls.Single("UserRecordsPut", ("StreamName", "b")).StatisticValues);
        Assert.Equal(new(1, 10, 10, 10), calls.Single("UserRecordsPut", ("StreamName", "a"), ("ShardId", "s1")).StatisticValues);
    }

    [Theory(Timeout = 30_000)]
    [InlineData(MetricsGranularity.Global, 1)]
    [InlineData(MetricsGranularity.Stream, 2)]
    [InlineData(MetricsGranularity.Shard, 3)]
    public async Task Granularity_decides_the_levels_uploaded(MetricsGranularity granularity, int series)
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Granularity = granularity);
        h.Meter.CreateCounter<long>("UserRecordsPut").Add(1, Orders, Shard1);

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Equal(series, calls.Named("UserRecordsPut").Count());
        Assert.Equal(1, calls.Single("UserRecordsPut").StatisticValues!.Value.Sum);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_metric_not_available_at_shard_level_stops_at_the_stream()
    {
        await using var h = await PublisherHarness.StartAsync();
        h.Meter.CreateCounter<long>("UserRecordsReceived").Add(1, Orders, Shard1);

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Equal(2, calls.Named("UserRecordsReceived").Count());
        calls.Single("UserRecordsReceived", ("StreamName", "orders"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Declared_tags_are_dimensions_at_every_level_and_others_are_ignored()
    {
        await using var h = await PublisherHarness.StartAsync();
        var errors = h.Meter.CreateCounter<long>("ErrorsByCode");
        errors.Add(1, new("ErrorCode", "Throttling"), new("PartitionKey", "pk-1"), Orders, Shard1);
        errors.Add(1, new("ErrorCode", "Throttling"), new("PartitionKey", "pk-2"), Orders, Shard1);
        errors.Add(1, new("ErrorCode", "InternalFailure"), Orders);

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Equal(5, calls.Named("ErrorsByCode").Count());
        Assert.Equal(2, calls.Single("ErrorsByCode", ("ErrorCode", "Throttling")).StatisticValues!.Value.Sum);
        Assert.Equal(2, calls.Single("ErrorsByCode", ("ErrorCode", "Throttling"), ("StreamName", "orders")).StatisticValues!.Value.Sum);
        Assert.Equal(2, calls.Single("ErrorsByCode", ("ErrorCode", "Throttling"), ("StreamName", "orders"), ("ShardId", "shardId-000000000001"))
            .StatisticValues!.Value.SampleCount);
        Assert.Equal(1, calls.Single("ErrorsByCode", ("ErrorCode", "InternalFailure"), ("StreamName", "orders")).StatisticValues!.Value.Sum);
        Assert.DoesNotContain(calls.All(), d => d.Dimensions.Any(x => x.Name == "PartitionKey"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_global_metric_declaring_ShardId_is_uploaded_with_exactly_its_tags()
    {
        // The KCL's way: each metric has one dimension set (Operation, ShardId), no overall or per-stream roll-up.
        var recordsProcessed = new MetricDefinition("RecordsProcessed", MetricsLevel.Summary, MetricUnit.Count)
        {
            Dimensions = ["Operation", "ShardId"],
            MaxGranularity = MetricsGranularity.Global,
        };
        await using var h = await PublisherHarness.StartAsync(o => o.Metrics = [recordsProcessed]);
        var counter = h.Meter.CreateCounter<long>("RecordsProcessed");
        counter.Add(3, new("Operation", "ProcessTask"), Orders, Shard1);
        counter.Add(4, new("Operation", "ProcessTask"), Orders, new("ShardId", "shardId-000000000002"));
        counter.Add(5, new("Operation", "ProcessTask"), Orders, Shard1);

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Equal(2, calls.Named("RecordsProcessed").Count());
        Assert.Equal(new(2, 8, 3, 5), calls.Single("RecordsProcessed", ("Operation", "ProcessTask"), ("ShardId", "shardId-000000000001")).StatisticValues);
        Assert.Equal(4, calls.Single("RecordsProcessed", ("Operation", "ProcessTask"), ("ShardId", "shardId-000000000002")).StatisticValues!.Value.Sum);
    }

    [Fact]
    public void Only_a_global_metric_may_declare_ShardId()
    {
        var definition = new MetricDefinition("M", MetricsLevel.Summary, MetricUnit.Count) { Dimensions = ["ShardId"] };
        var options = new CloudWatchMetricsPublisherOptions { MeterName = "m", Metrics = [definition] };
        Assert.Equal("Metrics", Assert.Throws<ArgumentException>(options.Validate).ParamName);

        options.Metrics = [definition with { MaxGranularity = MetricsGranularity.Global }];
        options.Validate();
    }

    [Fact(Timeout = 30_000)]
    public async Task Additional_dimensions_join_at_their_level()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.AdditionalDimensions =
        [
            new("Host", "web-1", MetricsGranularity.Global),
            new("Flow", "f", MetricsGranularity.Stream),
            new("Slot", "3", MetricsGranularity.Shard),
        ]);
        h.Meter.CreateCounter<long>("UserRecordsPut").Add(1, Orders, Shard1);

        var calls = await h.FlushAndWaitAsync(1);

        calls.Single("UserRecordsPut", ("Host", "web-1"));
        calls.Single("UserRecordsPut", ("Host", "web-1"), ("StreamName", "orders"), ("Flow", "f"));
        calls.Single("UserRecordsPut", ("Host", "web-1"), ("StreamName", "orders"), ("Flow", "f"), ("ShardId", "shardId-000000000001"), ("Slot", "3"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Summary_level_drops_detailed_metrics()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Level = MetricsLevel.Summary);
        h.Meter.CreateHistogram<double>("RequestTime").Record(5, Orders);
        h.Meter.CreateCounter<long>("UserRecordsPut").Add(1, Orders);

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Empty(calls.Named("RequestTime"));
        Assert.Equal(2, calls.Named("UserRecordsPut").Count());
    }

    [Fact(Timeout = 30_000)]
    public async Task Level_None_uploads_nothing()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Level = MetricsLevel.None);
        h.Meter.CreateCounter<long>("UserRecordsPut").Add(1, Orders);

        await h.Publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);
        h.Time.Advance(TimeSpan.FromMinutes(5));
        await h.Publisher.DisposeAsync();

        Assert.Equal(0, h.Server.Attempts);
        Assert.Equal(0, h.Publisher.SeriesCount);
    }
}
