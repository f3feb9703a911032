using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Amazon.Runtime;
using Kinesis.Clients.Firehose;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Testing.Tests.Firehose;

/// <summary>The loopback Firehose keeps the service's rules: limits and their error replies, the Direct PUT quota, faults, storage.</summary>
public sealed class LoopbackFirehoseTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 30_000)]
    public async Task An_unsigned_call_is_refused_and_nothing_is_stored()
    {
        await using var server = await LoopbackFirehose.StartAsync();
        server.CreateDeliveryStream("logs");
        using var http = new HttpClient();
        using var content = new StringContent("""{"DeliveryStreamName":"logs","Record":{"Data":"eA=="}}""", Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint) { Content = content };
        request.Headers.Add("X-Amz-Target", "Firehose_20150804.PutRecord");

        using var response = await http.SendAsync(request).WaitAsync(TestTimeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("MissingAuthenticationTokenException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.Empty(server.Records("logs"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Batches_breaking_the_api_limits_get_the_service_errors()
    {
        await using var server = await LoopbackFirehose.StartAsync();
        server.CreateDeliveryStream("logs");
        using var http = SignedHttp();

        var tooMany = await PostAsync(http, server, "PutRecordBatch", Batch(501, 1));
        var tooLarge = await PostAsync(http, server, "PutRecordBatch", Batch(1, (1000 * 1024) + 1));
        var tooMuch = await PostAsync(http, server, "PutRecordBatch", Batch(5, 900 * 1024));

        Assert.Equal((HttpStatusCode.BadRequest, "ValidationException"), (tooMany.Status, tooMany.Code));
        Assert.Contains("less than or equal to 500", tooMany.Message, StringComparison.Ordinal);
        Assert.Equal("ValidationException", tooLarge.Code);
        Assert.Contains("records.1.member.data", tooLarge.Message, StringComparison.Ordinal);
        Assert.Equal("InvalidArgumentException", tooMuch.Code);
        Assert.Empty(server.Records("logs"));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_records_quota_refuses_entries_with_slow_down_until_it_refills()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        await using var server = await LoopbackFirehose.StartAsync(new FirehoseQuota(RecordsPerSecond: 3), clock);
        server.CreateDeliveryStream("logs");
        using var client = Client(server);
        ReadOnlyMemory<byte>[] five = [.. Enumerable.Range(0, 5).Select(i => (ReadOnlyMemory<byte>)new[] { (byte)i })];

        var first = await client.PutRecordBatchAsync("logs", five).WaitAsync(TestTimeout);
        clock.Advance(TimeSpan.FromSeconds(1));
        var second = await client.PutRecordBatchAsync("logs", five[3..]).WaitAsync(TestTimeout);

        Assert.Equal([null, null, null, "ServiceUnavailableException", "ServiceUnavailableException"], first.Results.Select(r => r.ErrorCode));
        Assert.Equal("Slow down.", first.Results[4].ErrorMessage);
        Assert.Equal(0, second.FailedPutCount);
        Assert.Equal(five.Select(r => r.ToArray()), server.Records("logs"));
        Assert.Equal(2, server.ThrottledEntries("logs"));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_bytes_quota_and_the_requests_quota_are_each_enforced()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        await using var server = await LoopbackFirehose.StartAsync(new FirehoseQuota(BytesPerSecond: 100, RequestsPerSecond: 2), clock);
        server.CreateDeliveryStream("logs");
        using var client = Client(server);

        var bytes = await client.PutRecordBatchAsync("logs", [new byte[60], new byte[60]]).WaitAsync(TestTimeout);
        var small = await client.PutRecordBatchAsync("logs", [new byte[1]]).WaitAsync(TestTimeout);
        var slowDown = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutRecordAsync("logs", new byte[1]).WaitAsync(TestTimeout));

        Assert.Equal([null, "ServiceUnavailableException"], bytes.Results.Select(r => r.ErrorCode));
        Assert.Equal(0, small.FailedPutCount);
        Assert.True(slowDown.IsThrottling);
        Assert.Equal("ServiceUnavailableException", slowDown.ErrorCode);
        Assert.Equal(2, server.Records("logs").Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_default_quota_is_the_large_regions_one()
    {
        Assert.Equal(5 * 1024 * 1024, FirehoseQuota.Default.BytesPerSecond);
        Assert.Equal(2_000, FirehoseQuota.Default.RequestsPerSecond);
        Assert.Equal(500_000, FirehoseQuota.Default.RecordsPerSecond);
        // The clock stands still: both calls fall in the same second however slow the machine is.
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        await using var server = await LoopbackFirehose.StartAsync(timeProvider: clock);
        server.CreateDeliveryStream("logs");
        using var client = Client(server);
        var batch = Enumerable.Range(0, 5).Select(_ => (ReadOnlyMemory<byte>)new byte[800 * 1024]).ToList();

        // 4,000 KiB fits one call; the second call goes past 5 MiB in the same second.
        var first = await client.PutRecordBatchAsync("logs", batch).WaitAsync(TestTimeout);
        var second = await client.PutRecordBatchAsync("logs", batch).WaitAsync(TestTimeout);

        Assert.Equal(0, first.FailedPutCount);
        Assert.True(second.FailedPutCount > 0);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_reset_after_storing_keeps_the_records_the_client_never_heard_of()
    {
        await using var server = await LoopbackFirehose.StartAsync();
        server.CreateDeliveryStream("logs");
        using var client = Client(server);
        server.FailNext(1, FirehoseFault.ResetAfterStoring);

        await Assert.ThrowsAsync<AwsServiceException>(() => client.PutRecordBatchAsync("logs", ["kept"u8.ToArray()]).WaitAsync(TestTimeout));

        Assert.Equal(["kept"u8.ToArray()], server.Records("logs"));
        Assert.Contains("ResetAfterStoring", server.Rejections);
    }

    [Fact(Timeout = 30_000)]
    public async Task Latency_holds_every_answer_back()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UnixEpoch.AddDays(20_000));
        await using var server = await LoopbackFirehose.StartAsync(timeProvider: clock);
        server.CreateDeliveryStream("logs");
        server.Latency = TimeSpan.FromSeconds(5);
        using var client = Client(server);

        var put = client.PutRecordAsync("logs", "x"u8.ToArray());
        await server.WaitForAttemptsAsync(1, TestTimeout);
        Assert.False(put.IsCompleted);
        Assert.Empty(server.Records("logs"));
        clock.Advance(TimeSpan.FromSeconds(5));

        await put.WaitAsync(TestTimeout);
        Assert.Single(server.Records("logs"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Create_describe_and_delete_work_over_the_wire()
    {
        await using var server = await LoopbackFirehose.StartAsync();
        using var http = SignedHttp();

        var created = await PostAsync(http, server, "CreateDeliveryStream", """{"DeliveryStreamName":"made","DeliveryStreamType":"DirectPut"}""");
        var again = await PostAsync(http, server, "CreateDeliveryStream", """{"DeliveryStreamName":"made"}""");
        var deleted = await PostAsync(http, server, "DeleteDeliveryStream", """{"DeliveryStreamName":"made"}""");
        var gone = await PostAsync(http, server, "DescribeDeliveryStream", """{"DeliveryStreamName":"made"}""");

        Assert.Equal(HttpStatusCode.OK, created.Status);
        Assert.Equal("ResourceInUseException", again.Code);
        Assert.Equal(HttpStatusCode.OK, deleted.Status);
        Assert.Equal("ResourceNotFoundException", gone.Code);
    }

    private static FirehoseClient Client(LoopbackFirehose server) => new(new FirehoseClientOptions
    {
        ServiceUrl = server.Endpoint,
        Region = "us-east-1",
        Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
    });

    private static string Batch(int count, int size)
    {
        var data = Convert.ToBase64String(new byte[size]);
        return $$"""{"DeliveryStreamName":"logs","Records":[{{string.Join(",", Enumerable.Repeat($$"""{"Data":"{{data}}"}""", count))}}]}""";
    }

    private static HttpClient SignedHttp() => new(new ScopeSigningHandler(new SocketsHttpHandler()));

    private static async Task<(HttpStatusCode Status, string? Code, string Message)> PostAsync(HttpClient http, LoopbackFirehose server, string operation, string json)
    {
        using var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        using var request = new HttpRequestMessage(HttpMethod.Post, server.Endpoint) { Content = content };
        request.Headers.Add("X-Amz-Target", "Firehose_20150804." + operation);
        using var response = await http.SendAsync(request).WaitAsync(TestTimeout);
        var body = await response.Content.ReadAsStringAsync();
        if (response.IsSuccessStatusCode)
        {
            return (response.StatusCode, null, body);
        }

        using var document = JsonDocument.Parse(body);
        return (response.StatusCode, document.RootElement.GetProperty("__type").GetString(), document.RootElement.GetProperty("message").GetString()!);
    }

    /// <summary>Adds a well-shaped SigV4 header scoped to <c>firehose</c>: the server checks shape and scope, not the signature.</summary>
    private sealed class ScopeSigningHandler(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.TryAddWithoutValidation("X-Amz-Date", "20260101T000000Z");
            request.Headers.TryAddWithoutValidation(
                "Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/firehose/aws4_request, SignedHeaders=host, Signature=00");
            return base.SendAsync(request, cancellationToken);
        }
    }
}
