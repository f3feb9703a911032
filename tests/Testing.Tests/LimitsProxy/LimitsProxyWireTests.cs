using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Wire;
using Microsoft.Extensions.Time.Testing;
using static Kinesis.Clients.Testing.EngineClients;
using static Kinesis.Clients.Testing.Tests.LimitsProxy.ProxyClients;

namespace Kinesis.Clients.Testing.Tests.LimitsProxy;

/// <summary>What the proxy answers itself, on the wire: the request's encoding, AWS error shape; and its lifecycle.</summary>
public sealed class LimitsProxyWireTests
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false });

    [Theory]
    [InlineData("application/x-amz-json-1.1")]
    [InlineData("application/x-amz-cbor-1.1")]
    public async Task Errors_come_back_in_the_request_encoding_with_type_and_message(string contentType)
    {
        await using var proxy = await KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("s", 1)).WaitAsync(Deadline);
        var cbor = contentType.Contains("cbor", StringComparison.Ordinal);
        byte[] body = cbor ? [0xA1, 0x6A, .. "StreamName"u8, 0x61, (byte)'s'] : Encoding.UTF8.GetBytes("""{"StreamName":"s"}""");
        using var request = new HttpRequestMessage(HttpMethod.Post, proxy.Endpoint) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "Kinesis_20131202.GetShardIterator");

        using var response = await Http.SendAsync(request).WaitAsync(Deadline);
        var payload = await response.Content.ReadAsByteArrayAsync().WaitAsync(Deadline);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(contentType, response.Content.Headers.ContentType?.MediaType);
        Assert.True(response.Headers.Contains("x-amzn-RequestId"));
        var error = cbor ? CborWireReader.Read(payload) : JsonWireReader.Read(payload);
        Assert.Equal(WireKind.Map, error.Kind);
        Assert.Equal("UnknownOperationException", error["__type"].Text);
        Assert.Contains("GetShardIterator", error["message"].Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Latency_runs_on_the_proxy_clock_and_disposing_cuts_waiting_requests_off()
    {
        var time = new FakeTimeProvider();
        var proxy = await KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("s", 1), new LimitsProxyOptions { TimeProvider = time })
            .WaitAsync(Deadline);
        using var client = Client(proxy, WireProtocol.Cbor);
        proxy.Faults.Latency = TimeSpan.FromMinutes(1);

        var released = client.DescribeStreamSummaryAsync("s");
        await Eventually.HoldsAsync(() => proxy.Stats.RequestsFor("DescribeStreamSummary") == 1, "1 DescribeStreamSummary request(s) at the proxy", Deadline);
        Assert.False(released.IsCompleted);
        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal("s", (await released.WaitAsync(Deadline)).StreamName);

        var held = client.DescribeStreamSummaryAsync("s");
        await Eventually.HoldsAsync(() => proxy.Stats.RequestsFor("DescribeStreamSummary") == 2, "2 DescribeStreamSummary request(s) at the proxy", Deadline);
        await proxy.DisposeAsync().AsTask().WaitAsync(Deadline);
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => held).WaitAsync(Deadline);
        Assert.Null(error.StatusCode);
    }

    [Fact]
    public async Task A_request_is_counted_only_once_its_latency_is_timed()
    {
        // Started after the count, the timer could miss a test's move of the clock made as soon as it sees the count,
        // and the request would wait a whole latency more.
        var time = new ClockNotingCounts();
        await using var proxy = await KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("s", 1), new LimitsProxyOptions { TimeProvider = time })
            .WaitAsync(Deadline);
        time.Count = () => proxy.Stats.RequestsFor("DescribeStreamSummary");
        using var client = Client(proxy, WireProtocol.Json);
        proxy.Faults.Latency = TimeSpan.FromSeconds(5);

        var answer = client.DescribeStreamSummaryAsync("s");
        await Eventually.HoldsAsync(() => proxy.Stats.RequestsFor("DescribeStreamSummary") == 1, "1 DescribeStreamSummary request(s) at the proxy", Deadline);
        Assert.Equal([0L], time.CountsWhenTimed(TimeSpan.FromSeconds(5)));
        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal("s", (await answer.WaitAsync(Deadline)).StreamName);
    }

    [Fact]
    public async Task A_failing_callback_becomes_a_500_that_names_it()
    {
        var options = new LimitsProxyOptions { OnAccepted = (_, _, _, _, _, _) => throw new InvalidOperationException("callback broke") };
        await using var proxy = await KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("s", 1), options).WaitAsync(Deadline);
        using var client = Client(proxy, WireProtocol.Json);

        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutRecordsAsync("s", Batch(1, "x"))).WaitAsync(Deadline);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
        Assert.Equal("InternalFailure", error.ErrorCode);
        Assert.Contains("callback broke", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Options_are_checked_when_starting()
    {
        await Assert.ThrowsAsync<ArgumentException>(() =>
            KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("s", 1), new LimitsProxyOptions { WriteRecordsPerSecond = 0 })).WaitAsync(Deadline);
        await Assert.ThrowsAsync<ArgumentException>(() =>
            KinesisLimitsProxy.StartStandaloneAsync(StandaloneStreams.Of("s", 1), new LimitsProxyOptions { Burst = TimeSpan.Zero })).WaitAsync(Deadline);
        await Assert.ThrowsAsync<ArgumentException>(() => KinesisLimitsProxy.StartStandaloneAsync(new StandaloneStreams())).WaitAsync(Deadline);
        Assert.Throws<ArgumentException>(() => StandaloneStreams.Of("s", 1).Add("s", 2));
        Assert.Throws<ArgumentOutOfRangeException>(() => StandaloneStreams.Of("s", 0));
    }

    /// <summary>A fake clock that notes, for each timer started on it, what <see cref="Count"/> read at that moment.</summary>
    private sealed class ClockNotingCounts : FakeTimeProvider
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<(TimeSpan Due, long Count)> _noted = new();

        public Func<long> Count { get; set; } = () => -1;

        public long[] CountsWhenTimed(TimeSpan due) => [.. _noted.Where(n => n.Due == due).Select(n => n.Count)];

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            _noted.Enqueue((dueTime, Count()));
            return base.CreateTimer(callback, state, dueTime, period);
        }
    }
}
