using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Tests.Metrics;

/// <summary>What cannot be uploaded is dropped, counted and logged, without hurting the rest.</summary>
public sealed class PublisherLimitsTests
{
    [Fact(Timeout = 30_000)]
    public async Task Series_beyond_the_limit_are_dropped_and_logged()
    {
        await using var h = await PublisherHarness.StartAsync(o =>
        {
            o.Granularity = MetricsGranularity.Global;
            o.MaxSeries = 3;
        });
        var errors = h.Meter.CreateCounter<long>("ErrorsByCode");
        for (var i = 0; i < 5; i++)
        {
            errors.Add(1, new KeyValuePair<string, object?>("ErrorCode", $"E{i}"));
            errors.Add(1, new KeyValuePair<string, object?>("ErrorCode", $"E{i}"));
        }

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Equal(3, calls.Named("ErrorsByCode").Count());
        var warning = Assert.Single(h.Log.WithId(1105));
        Assert.Contains("Dropped 4 measurements", warning.Message, StringComparison.Ordinal);
        Assert.Contains("3 metric series", warning.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Series_idle_for_an_interval_give_their_place_back()
    {
        await using var h = await PublisherHarness.StartAsync(o =>
        {
            o.Granularity = MetricsGranularity.Global;
            o.MaxSeries = 1;
        });
        var errors = h.Meter.CreateCounter<long>("ErrorsByCode");
        errors.Add(1, new KeyValuePair<string, object?>("ErrorCode", "Old"));
        await h.FlushAndWaitAsync(1);
        Assert.Equal(1, h.Publisher.SeriesCount);

        await h.Publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);
        Assert.Equal(0, h.Publisher.SeriesCount);
        errors.Add(1, new KeyValuePair<string, object?>("ErrorCode", "New"));
        var calls = await h.FlushAndWaitAsync(2);

        Assert.Equal("New", calls[1].Data.Single().Dimensions.Single().Value);
        Assert.Empty(h.Log.WithId(1105));
    }

    [Fact(Timeout = 30_000)]
    public async Task Measurements_CloudWatch_would_refuse_are_dropped_and_the_rest_uploaded()
    {
        await using var h = await PublisherHarness.StartAsync();
        var time = h.Meter.CreateHistogram<double>("BufferingTime");
        time.Record(double.NaN);
        time.Record(double.PositiveInfinity);
        time.Record(1e200);
        time.Record(1, new KeyValuePair<string, object?>("StreamName", ""));
        time.Record(1, new KeyValuePair<string, object?>("StreamName", "caf\u00e9"));
        time.Record(1, new KeyValuePair<string, object?>("StreamName", new string('s', 1025)));
        time.Record(2, new KeyValuePair<string, object?>("StreamName", "orders"));

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Equal(2, calls.Named("BufferingTime").Count());
        Assert.Equal(2, calls.Single("BufferingTime", ("StreamName", "orders")).StatisticValues!.Value.Sum);
        Assert.Contains("Dropped 6 measurements", Assert.Single(h.Log.WithId(1106)).Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Non_string_tag_values_are_formatted_invariantly()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Granularity = MetricsGranularity.Global);
        h.Meter.CreateCounter<long>("ErrorsByCode").Add(1, new KeyValuePair<string, object?>("ErrorCode", 1.5));

        var calls = await h.FlushAndWaitAsync(1);

        calls.Single("ErrorsByCode", ("ErrorCode", "1.5"));
    }
}
