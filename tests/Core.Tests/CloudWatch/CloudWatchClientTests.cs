using System.Net;
using System.Text;
using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Tests.Http;

namespace Kinesis.Clients.Tests.CloudWatch;

/// <summary>PutMetricData on the wire: what arrives at the endpoint, and how failures are reported.</summary>
public sealed class CloudWatchClientTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 30_000)]
    public async Task PutMetricData_arrives_with_every_field_exact()
    {
        await using var server = await LoopbackCloudWatch.StartAsync();
        using var client = CloudWatchClients.For(server.Endpoint);
        var now = DateTimeOffset.UtcNow;
        var at = new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, 123, TimeSpan.Zero).AddMinutes(-1);
        MetricDatum[] data =
        [
            new("UserRecordsPut")
            {
                Dimensions = [new("StreamName", "orders"), new("ShardId", "shardId-000000000001")],
                Unit = MetricUnit.Count,
                Timestamp = at,
                StatisticValues = new StatisticSet(3, 0.1 + 0.2, -1.5, 1e100),
            },
            new("Odd names & values/%+=~")
            {
                Dimensions = [new("Host name", "a b&c=d/+%~?#")],
                Unit = MetricUnit.BytesPerSecond,
                Value = 1234.5678901234567,
                StorageResolution = 1,
            },
            new("NoUnit") { Value = 0 },
        ];

        await client.PutMetricDataAsync("KinesisProducerLibrary/Test app", data).WaitAsync(TestTimeout);

        var call = Assert.Single(server.Calls);
        Assert.Equal("KinesisProducerLibrary/Test app", call.Namespace);
        Assert.Equal("us-east-1", call.Region);
        Assert.Equal(data, call.Data);
        Assert.Equal(at, call.Data[0].Timestamp);
        Assert.Equal(0.1 + 0.2, call.Data[0].StatisticValues!.Value.Sum);
    }

    [Fact(Timeout = 30_000)]
    public async Task Throttling_is_a_retryable_throttling_error_with_the_request_id()
    {
        await using var server = await LoopbackCloudWatch.StartAsync();
        server.FailNext(1, CloudWatchFault.Throttling);
        using var client = CloudWatchClients.For(server.Endpoint);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutMetricDataAsync("App", [Datum()]).WaitAsync(TestTimeout));

        Assert.Equal("Throttling", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.BadRequest, ex.StatusCode);
        Assert.True(ex.IsThrottling);
        Assert.True(ex.IsRetryable);
        Assert.NotNull(ex.RequestId);
        Assert.Equal("CloudWatch", ex.Service);
        Assert.Equal("PutMetricData", ex.Operation);
        Assert.Contains("Rate exceeded", ex.Message, StringComparison.Ordinal);
        Assert.Contains("namespace App", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task InternalFailure_is_retryable_and_not_throttling()
    {
        await using var server = await LoopbackCloudWatch.StartAsync();
        server.FailNext(1, CloudWatchFault.InternalFailure);
        using var client = CloudWatchClients.For(server.Endpoint);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutMetricDataAsync("App", [Datum()]).WaitAsync(TestTimeout));

        Assert.Equal("InternalFailure", ex.ErrorCode);
        Assert.Equal(HttpStatusCode.InternalServerError, ex.StatusCode);
        Assert.True(ex.IsRetryable);
        Assert.False(ex.IsThrottling);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_next_call_after_a_fault_succeeds()
    {
        await using var server = await LoopbackCloudWatch.StartAsync();
        server.FailNext(1, CloudWatchFault.InternalFailure);
        using var client = CloudWatchClients.For(server.Endpoint);

        await Assert.ThrowsAsync<AwsServiceException>(() => client.PutMetricDataAsync("App", [Datum()]).WaitAsync(TestTimeout));
        await client.PutMetricDataAsync("App", [Datum()]).WaitAsync(TestTimeout);

        Assert.Single(server.Calls);
        Assert.Equal(["InternalFailure"], server.Rejections);
    }

    [Fact(Timeout = 30_000)]
    public async Task Proxy_html_502_becomes_a_retryable_error_with_status_and_snippet()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Respond(
            502, "text/html", Encoding.UTF8.GetBytes("<html><body><h1>502 Bad Gateway</h1></body></html>")));
        using var client = CloudWatchClients.For(server.Endpoint);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutMetricDataAsync("App", [Datum()]).WaitAsync(TestTimeout));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Null(ex.ErrorCode);
        Assert.True(ex.IsRetryable);
        Assert.Contains("502 Bad Gateway", ex.Message, StringComparison.Ordinal);
        Assert.Contains("PutMetricData", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Connection_reset_is_a_retryable_error_without_status()
    {
        await using var server = await LoopbackCloudWatch.StartAsync();
        server.FailNext(1, CloudWatchFault.Reset);
        using var client = CloudWatchClients.For(server.Endpoint);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutMetricDataAsync("App", [Datum()]).WaitAsync(TestTimeout));

        Assert.Null(ex.StatusCode);
        Assert.True(ex.IsRetryable);
        Assert.Contains("no response", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Silent_endpoint_times_out_with_a_retryable_error()
    {
        await using var server = await LoopbackCloudWatch.StartAsync();
        server.FailNext(1, CloudWatchFault.Hang);
        using var client = CloudWatchClients.For(server.Endpoint, requestTimeout: TimeSpan.FromMilliseconds(300));

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutMetricDataAsync("App", [Datum()]).WaitAsync(TestTimeout));

        Assert.Null(ex.StatusCode);
        Assert.True(ex.IsRetryable);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Caller_cancellation_stays_a_cancellation()
    {
        await using var server = await LoopbackCloudWatch.StartAsync();
        server.FailNext(1, CloudWatchFault.Hang);
        using var client = CloudWatchClients.For(server.Endpoint);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.PutMetricDataAsync("App", [Datum()], cts.Token).WaitAsync(TestTimeout));
    }

    [Fact]
    public void Endpoint_and_region_come_from_the_options()
    {
        using var client = CloudWatchClients.For(new Uri("http://127.0.0.1:1/"));

        Assert.Equal("us-east-1", client.Region);
        Assert.Equal(new Uri("http://127.0.0.1:1/"), client.Endpoint);
    }

    private static MetricDatum Datum() => new("M") { Value = 1, Unit = MetricUnit.Count };
}
