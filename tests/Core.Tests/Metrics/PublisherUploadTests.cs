using Kinesis.Clients.Metrics;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Tests.Metrics;

/// <summary>When uploads happen, how they are split, and what a failing endpoint costs.</summary>
public sealed class PublisherUploadTests
{
    private static readonly KeyValuePair<string, object?> Orders = new("StreamName", "orders");

    [Fact(Timeout = 30_000)]
    public async Task Uploads_happen_when_the_interval_passes()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.UploadInterval = TimeSpan.FromSeconds(60));
        h.Meter.CreateCounter<long>("UserRecordsPut").Add(3, Orders);

        h.Time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(0, h.Server.Attempts);
        h.Time.Advance(TimeSpan.FromSeconds(1));
        var calls = await h.Server.WaitForCallsAsync(1, PublisherHarness.WaitTimeout);

        Assert.Equal(3, calls.Single("UserRecordsPut", ("StreamName", "orders")).StatisticValues!.Value.Sum);
        Assert.Equal(h.Time.GetUtcNow(), calls[0].Data[0].Timestamp);
    }

    [Fact(Timeout = 30_000)]
    public async Task Every_interval_uploads_its_own_data()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Granularity = MetricsGranularity.Global);
        var put = h.Meter.CreateCounter<long>("UserRecordsPut");
        for (var i = 1; i <= 3; i++)
        {
            put.Add(i);
            h.Time.Advance(TimeSpan.FromSeconds(60));
            await h.Server.WaitForCallsAsync(i, PublisherHarness.WaitTimeout);
            // Waits for that upload to finish before the clock moves on (its time-out runs on the same clock).
            await h.Publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);
        }

        Assert.Equal([1.0, 2.0, 3.0], h.Server.Calls.Select(c => c.Data.Single().StatisticValues!.Value.Sum));
    }

    [Fact(Timeout = 30_000)]
    public async Task More_data_than_one_request_takes_are_split()
    {
        await using var h = await PublisherHarness.StartAsync(o =>
        {
            o.Granularity = MetricsGranularity.Global;
            o.MaxDataPerRequest = 20;
        });
        var errors = h.Meter.CreateCounter<long>("ErrorsByCode");
        for (var i = 0; i < 50; i++)
        {
            errors.Add(i, new KeyValuePair<string, object?>("ErrorCode", $"E{i}"));
        }

        await h.Publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);
        var calls = await h.Server.WaitForCallsAsync(3, PublisherHarness.WaitTimeout);

        Assert.Equal([20, 20, 10], calls.Select(c => c.Data.Count).Order().Reverse());
        Assert.Equal(Enumerable.Range(0, 50).Sum(), calls.All().Sum(d => d.StatisticValues!.Value.Sum));
        Assert.Equal(50, calls.All().Select(d => d.Dimensions[0].Value).Distinct().Count());
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failed_upload_is_logged_and_sent_again_with_the_next()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Granularity = MetricsGranularity.Global);
        var put = h.Meter.CreateCounter<long>("UserRecordsPut");
        h.Server.FailNext(1, CloudWatchFault.InternalFailure);
        put.Add(1);
        var failedAt = h.Time.GetUtcNow();

        await h.Publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);
        Assert.Equal(1, h.Publisher.WaitingData);
        var warning = Assert.Single(h.Log.WithId(1102));
        Assert.Contains("InternalFailure", warning.Exception!.Message, StringComparison.Ordinal);

        h.Time.Advance(TimeSpan.FromSeconds(60));
        await h.Server.WaitForCallsAsync(1, PublisherHarness.WaitTimeout);
        put.Add(2);
        var calls = await h.FlushAndWaitAsync(2);

        var sums = calls.All().Select(d => (d.Timestamp, d.StatisticValues!.Value.Sum)).ToList();
        Assert.Contains((failedAt, 1.0), sums);
        Assert.Contains((h.Time.GetUtcNow(), 2.0), sums);
        Assert.Equal(0, h.Publisher.WaitingData);
    }

    [Fact(Timeout = 30_000)]
    public async Task Data_failing_twice_is_dropped_with_a_log_line()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Granularity = MetricsGranularity.Global);
        var put = h.Meter.CreateCounter<long>("UserRecordsPut");
        h.Server.FailNext(2, CloudWatchFault.Throttling);
        put.Add(1);

        await h.Publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);
        await h.Publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);
        put.Add(7);
        var calls = await h.FlushAndWaitAsync(1);

        Assert.Contains("Dropped 1 metric data", Assert.Single(h.Log.WithId(1103)).Message, StringComparison.Ordinal);
        Assert.Equal(7, Assert.Single(calls.All()).StatisticValues!.Value.Sum);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_refused_request_is_dropped_at_once()
    {
        var meter = new System.Diagnostics.Metrics.Meter("Kinesis.Clients.Tests." + Guid.NewGuid().ToString("N"));
        var log = new TestLogger();
        var attempts = 0;
        var options = new CloudWatchMetricsPublisherOptions { Meter = meter, Metrics = PublisherHarness.KplMetrics };
        await using var publisher = new CloudWatchMetricsPublisher(options, log, (_, _, _) =>
        {
            Interlocked.Increment(ref attempts);
            var details = new AwsErrorDetails("CloudWatch", "PutMetricData", "InvalidParameterValue", System.Net.HttpStatusCode.BadRequest, "id", false, false);
            throw new AwsServiceException(details, "refused");
        });
        meter.CreateCounter<long>("UserRecordsPut").Add(1);

        await publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);
        await publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);

        Assert.Equal(1, attempts);
        Assert.Single(log.WithId(1104));
        Assert.Equal(0, publisher.WaitingData);
        meter.Dispose();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_hanging_endpoint_never_blocks_recording_and_the_upload_times_out()
    {
        await using var h = await PublisherHarness.StartAsync(o =>
        {
            o.Granularity = MetricsGranularity.Global;
            o.UploadTimeout = TimeSpan.FromSeconds(10);
        });
        var put = h.Meter.CreateCounter<long>("UserRecordsPut");
        put.Add(1);
        h.Server.FailNext(1, CloudWatchFault.Hang);
        var flush = h.Publisher.FlushAsync();
        await h.Server.WaitForAttemptsAsync(1, PublisherHarness.WaitTimeout);

        var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 100_000; i++)
            {
                put.Add(1);
            }
        })).ToArray();
        await Task.WhenAll(writers).WaitAsync(PublisherHarness.WaitTimeout);

        Assert.False(flush.IsCompleted);
        h.Time.Advance(TimeSpan.FromSeconds(10));
        await flush.WaitAsync(PublisherHarness.WaitTimeout);
        Assert.Contains("did not finish", Assert.Single(h.Log.WithId(1102)).Exception!.Message, StringComparison.Ordinal);

        var calls = await h.FlushAndWaitAsync(1);
        Assert.Equal(400_001, calls.All().Sum(d => d.StatisticValues!.Value.Sum));
    }

    [Fact(Timeout = 30_000)]
    public async Task Dispose_uploads_what_is_left()
    {
        var h = await PublisherHarness.StartAsync();
        try
        {
            h.Meter.CreateCounter<long>("UserRecordsPut").Add(4, Orders);
            await h.Publisher.DisposeAsync().AsTask().WaitAsync(PublisherHarness.WaitTimeout);

            var calls = await h.Server.WaitForCallsAsync(1, PublisherHarness.WaitTimeout);
            Assert.Equal(4, calls.Single("UserRecordsPut", ("StreamName", "orders")).StatisticValues!.Value.Sum);
            await Assert.ThrowsAsync<ObjectDisposedException>(() => h.Publisher.FlushAsync());
        }
        finally
        {
            await h.DisposeAsync();
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task Dispose_gives_up_on_a_hanging_endpoint_after_its_timeout()
    {
        var h = await PublisherHarness.StartAsync(o => o.FlushOnDisposeTimeout = TimeSpan.FromSeconds(5));
        try
        {
            h.Meter.CreateCounter<long>("UserRecordsPut").Add(4, Orders);
            h.Server.FailNext(1, CloudWatchFault.Hang);
            var dispose = h.Publisher.DisposeAsync().AsTask();
            await h.Server.WaitForAttemptsAsync(1, PublisherHarness.WaitTimeout);

            Assert.False(dispose.IsCompleted);
            h.Time.Advance(TimeSpan.FromSeconds(5));
            await dispose.WaitAsync(PublisherHarness.WaitTimeout);

            Assert.Contains("Dropped 2 metric data", Assert.Single(h.Log.WithId(1108)).Message, StringComparison.Ordinal);
            Assert.Empty(h.Server.Calls);
        }
        finally
        {
            await h.DisposeAsync();
        }
    }
}
