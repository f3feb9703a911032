using System.Diagnostics.Metrics;
using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Metrics;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Tests.CloudWatch;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Tests.Metrics;

/// <summary>
/// A publisher on a fake clock, listening to a meter of its own, uploading through a real client to the loopback
/// CloudWatch endpoint.
/// </summary>
internal sealed class PublisherHarness : IAsyncDisposable
{
    public static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(20);

    /// <summary>A few KPL metrics as the producer declares them.</summary>
    public static readonly MetricDefinition[] KplMetrics =
    [
        new("UserRecordsPut", MetricsLevel.Summary, MetricUnit.Count),
        new("UserRecordsReceived", MetricsLevel.Detailed, MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("BufferingTime", MetricsLevel.Summary, MetricUnit.Milliseconds),
        new("RequestTime", MetricsLevel.Detailed, MetricUnit.Milliseconds),
        new("ErrorsByCode", MetricsLevel.Summary, MetricUnit.Count) { Dimensions = ["ErrorCode"] },
        new("UserRecordsPending", MetricsLevel.Detailed, MetricUnit.Count),
    ];

    private PublisherHarness(Meter meter, FakeTimeProvider time, LoopbackCloudWatch server, CloudWatchClient client, TestLogger log)
    {
        Meter = meter;
        Time = time;
        Server = server;
        Client = client;
        Log = log;
    }

    public Meter Meter { get; }

    public FakeTimeProvider Time { get; }

    public LoopbackCloudWatch Server { get; }

    public CloudWatchClient Client { get; }

    public TestLogger Log { get; }

    public CloudWatchMetricsPublisher Publisher { get; private set; } = null!;

    public static async Task<PublisherHarness> StartAsync(
        Action<CloudWatchMetricsPublisherOptions>? configure = null,
        TimeSpan? requestTimeout = null)
    {
        var meter = new Meter("Kinesis.Clients.Tests." + Guid.NewGuid().ToString("N"));
        // Real time to the millisecond, so the client's timestamp window accepts it and timestamps survive the wire.
        var now = DateTimeOffset.UtcNow;
        var time = new FakeTimeProvider(new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero));
        var server = await LoopbackCloudWatch.StartAsync();
        var client = CloudWatchClients.For(server.Endpoint, requestTimeout);
        var harness = new PublisherHarness(meter, time, server, client, new TestLogger());
        var options = new CloudWatchMetricsPublisherOptions
        {
            MeterName = meter.Name,
            Metrics = KplMetrics,
            TimeProvider = time,
        };
        configure?.Invoke(options);
        harness.Publisher = new CloudWatchMetricsPublisher(client, options, harness.Log);
        return harness;
    }

    public async Task<IReadOnlyList<PutMetricDataCall>> FlushAndWaitAsync(int calls)
    {
        await Publisher.FlushAsync().WaitAsync(WaitTimeout);
        return await Server.WaitForCallsAsync(calls, WaitTimeout);
    }

    public async ValueTask DisposeAsync()
    {
        await Publisher.DisposeAsync().AsTask().WaitAsync(WaitTimeout);
        Client.Dispose();
        await Server.DisposeAsync();
        Meter.Dispose();
    }
}
