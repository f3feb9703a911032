using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Tests.Metrics;

/// <summary>Measurements fold into one statistic set per series and interval.</summary>
public sealed class PublisherAggregationTests
{
    [Fact(Timeout = 30_000)]
    public async Task Counter_adds_and_histogram_records_become_statistic_sets()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Granularity = MetricsGranularity.Global);
        var put = h.Meter.CreateCounter<long>("UserRecordsPut");
        var buffering = h.Meter.CreateHistogram<double>("BufferingTime");
        put.Add(1);
        put.Add(2);
        put.Add(3);
        buffering.Record(10.5);
        buffering.Record(2);
        buffering.Record(7);

        var calls = await h.FlushAndWaitAsync(1);

        var records = calls.Single("UserRecordsPut");
        Assert.Equal(new StatisticSet(3, 6, 1, 3), records.StatisticValues);
        Assert.Equal(MetricUnit.Count, records.Unit);
        Assert.Equal(h.Time.GetUtcNow(), records.Timestamp);
        var time = calls.Single("BufferingTime");
        Assert.Equal(new StatisticSet(3, 19.5, 2, 10.5), time.StatisticValues);
        Assert.Equal(MetricUnit.Milliseconds, time.Unit);
        Assert.Equal("KinesisProducerLibrary", calls[0].Namespace);
    }

    [Fact(Timeout = 30_000)]
    public async Task Each_upload_carries_only_its_own_interval()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Granularity = MetricsGranularity.Global);
        var put = h.Meter.CreateCounter<long>("UserRecordsPut");
        put.Add(5);
        await h.FlushAndWaitAsync(1);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        put.Add(1);

        var calls = await h.FlushAndWaitAsync(2);

        Assert.Equal(new StatisticSet(1, 5, 5, 5), new[] { calls[0] }.Single("UserRecordsPut").StatisticValues);
        Assert.Equal(new StatisticSet(1, 1, 1, 1), new[] { calls[1] }.Single("UserRecordsPut").StatisticValues);
        Assert.Equal(h.Time.GetUtcNow(), calls[1].Data[0].Timestamp);
    }

    [Fact(Timeout = 30_000)]
    public async Task Up_down_counters_and_integer_instruments_are_samples_too()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Granularity = MetricsGranularity.Global);
        var pending = h.Meter.CreateUpDownCounter<int>("UserRecordsPending");
        var requestTime = h.Meter.CreateHistogram<float>("RequestTime");
        pending.Add(4);
        pending.Add(-1);
        requestTime.Record(1.5f);

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Equal(new StatisticSet(2, 3, -1, 4), calls.Single("UserRecordsPending").StatisticValues);
        Assert.Equal(new StatisticSet(1, 1.5, 1.5, 1.5), calls.Single("RequestTime").StatisticValues);
    }

    [Fact(Timeout = 30_000)]
    public async Task Observable_gauges_are_read_once_per_upload()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Granularity = MetricsGranularity.Global);
        var reads = 0;
        h.Meter.CreateObservableGauge("UserRecordsPending", () => Interlocked.Increment(ref reads) * 10L);

        var first = await h.FlushAndWaitAsync(1);
        var both = await h.FlushAndWaitAsync(2);

        Assert.Equal(new StatisticSet(1, 10, 10, 10), first.Single("UserRecordsPending").StatisticValues);
        Assert.Equal(new StatisticSet(1, 20, 20, 20), new[] { both[1] }.Single("UserRecordsPending").StatisticValues);
    }

    [Fact(Timeout = 30_000)]
    public async Task Undeclared_instruments_and_other_meters_are_ignored()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Granularity = MetricsGranularity.Global);
        using var other = new System.Diagnostics.Metrics.Meter(h.Meter.Name + ".Other");
        h.Meter.CreateCounter<long>("NotDeclared").Add(1);
        other.CreateCounter<long>("UserRecordsPut").Add(100);
        h.Meter.CreateCounter<long>("UserRecordsPut").Add(1);

        var calls = await h.FlushAndWaitAsync(1);

        var datum = Assert.Single(calls.All());
        Assert.Equal("UserRecordsPut", datum.MetricName);
        Assert.Equal(1, datum.StatisticValues!.Value.Sum);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_meter_instance_option_listens_to_that_instance_only()
    {
        using var twin = new System.Diagnostics.Metrics.Meter("Kinesis.Clients.Tests.Twin." + Guid.NewGuid().ToString("N"));
        await using var h = await PublisherHarness.StartAsync(o =>
        {
            o.Granularity = MetricsGranularity.Global;
            o.MeterName = null;
            o.Meter = twin;
        });
        using var sameName = new System.Diagnostics.Metrics.Meter(twin.Name);
        sameName.CreateCounter<long>("UserRecordsPut").Add(100);
        twin.CreateCounter<long>("UserRecordsPut").Add(1);

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Equal(1, Assert.Single(calls.All()).StatisticValues!.Value.Sum);
    }

    [Fact(Timeout = 30_000)]
    public async Task Nothing_recorded_means_nothing_sent()
    {
        await using var h = await PublisherHarness.StartAsync();
        h.Meter.CreateCounter<long>("UserRecordsPut");

        await h.Publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);
        h.Meter.CreateCounter<long>("UserRecordsPut").Add(1);
        await h.FlushAndWaitAsync(1);

        Assert.Equal(1, h.Server.Attempts);
    }
}
