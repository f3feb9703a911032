using System.Diagnostics;
using System.Net;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Wire;
using static Kinesis.Clients.Testing.EngineClients;
using static Kinesis.Clients.Testing.Tests.LimitsProxy.ProxyClients;

namespace Kinesis.Clients.Testing.Tests.LimitsProxy;

/// <summary>Faults the proxy injects on demand: errors, resets, latency, failed entries.</summary>
[Trait("Category", "Engine")]
public sealed class LimitsProxyFaultTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private LocalAws Aws => fixture.Aws;

    public static TheoryData<WireProtocol> Protocols => new() { WireProtocol.Cbor, WireProtocol.Json };

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task FailNext_answers_that_many_requests_with_retryable_service_errors(WireProtocol protocol)
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, protocol);
        await using var stream = await NewStreamAsync(client, 1, "proxy-fail");

        proxy.Faults.FailNext(2);
        for (var i = 0; i < 2; i++)
        {
            var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.DescribeStreamSummaryAsync(stream)).WaitAsync(Deadline);
            Assert.Equal("InternalFailure", error.ErrorCode);
            Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
            Assert.True(error.IsRetryable);
            Assert.False(error.IsThrottling);
            Assert.NotNull(error.RequestId);
        }

        await client.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline);

        proxy.Faults.FailNext(1, 503, operation: "PutRecords");
        await client.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline);
        var unavailable = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutRecordsAsync(stream, Batch(1, "x"))).WaitAsync(Deadline);
        Assert.Equal("ServiceUnavailable", unavailable.ErrorCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, unavailable.StatusCode);
        Assert.True(unavailable.IsRetryable);
        Assert.Equal(3, proxy.Stats.InjectedFailures);
        Assert.Equal(0, proxy.Faults.Pending);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task ResetNext_drops_the_connection_without_an_answer(WireProtocol protocol)
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, protocol);
        await using var stream = await NewStreamAsync(client, 1, "proxy-reset");

        proxy.Faults.ResetNext(1);
        var error = await Assert.ThrowsAsync<AwsServiceException>(() => client.DescribeStreamSummaryAsync(stream)).WaitAsync(Deadline);
        Assert.Null(error.StatusCode);
        Assert.Null(error.ErrorCode);
        Assert.True(error.IsRetryable);
        Assert.Equal(1, proxy.Stats.InjectedResets);

        await client.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline);
    }

    [Fact]
    public async Task Latency_delays_every_answer()
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, WireProtocol.Cbor);
        await using var stream = await NewStreamAsync(client, 1, "proxy-latency");

        proxy.Faults.Latency = TimeSpan.FromMilliseconds(400);
        var watch = Stopwatch.StartNew();
        await client.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline);
        Assert.True(watch.Elapsed >= TimeSpan.FromMilliseconds(390), $"took {watch.Elapsed.TotalMilliseconds} ms");

        proxy.Faults.Clear();
        Assert.Equal(TimeSpan.Zero, proxy.Faults.Latency);
    }

    [Theory]
    [MemberData(nameof(Protocols))]
    public async Task EntryFailureRate_fails_entries_inside_a_successful_reply(WireProtocol protocol)
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, protocol);
        using var direct = Client(Aws, protocol);
        await using var stream = await NewStreamAsync(client, 1, "proxy-entries");
        var shardId = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).Single().ShardId;

        proxy.Faults.EntryFailureRate = 1;
        var reply = await client.PutRecordsAsync(stream, Batch(10, "fail")).WaitAsync(Deadline);
        Assert.Equal(10, reply.FailedRecordCount);
        Assert.All(reply.Records, r =>
        {
            Assert.Equal("InternalFailure", r.ErrorCode);
            Assert.Equal("Internal service failure.", r.ErrorMessage);
        });
        Assert.Equal(10, proxy.Stats.InjectedEntryFailures);
        Assert.Empty(await ReadShardAsync(direct, stream, shardId));

        // Half the entries, drawn from the seeded source: some fail, the rest reach the engine.
        proxy.Faults.EntryFailureRate = 0.5;
        var mixed = await client.PutRecordsAsync(stream, Batch(40, "mixed")).WaitAsync(Deadline);
        Assert.InRange(mixed.FailedRecordCount, 1, 39);
        Assert.Equal(mixed.Records.Count(r => !r.Succeeded), mixed.FailedRecordCount);
        var stored = await ReadShardAsync(direct, stream, shardId, expectedAtLeast: 40 - mixed.FailedRecordCount);
        Assert.Equal(40 - mixed.FailedRecordCount, stored.Count);
    }

    [Fact]
    public async Task Rates_fail_or_reset_requests_of_one_operation()
    {
        await using var proxy = await KinesisLimitsProxy.StartAsync(Aws.KinesisEndpoint).WaitAsync(Deadline);
        using var client = Client(Aws, proxy, WireProtocol.Cbor);
        await using var stream = await NewStreamAsync(client, 1, "proxy-rates");

        proxy.Faults.RateOperation = "PutRecords";
        proxy.Faults.FailureRate = 1;
        proxy.Faults.FailureStatusCode = 503;
        await client.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline);
        var failed = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutRecordsAsync(stream, Batch(1, "x"))).WaitAsync(Deadline);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, failed.StatusCode);

        proxy.Faults.FailureRate = 0;
        proxy.Faults.ResetRate = 1;
        var reset = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutRecordsAsync(stream, Batch(1, "x"))).WaitAsync(Deadline);
        Assert.Null(reset.StatusCode);

        proxy.Faults.Clear();
        Assert.Equal(0, (await client.PutRecordsAsync(stream, Batch(1, "x")).WaitAsync(Deadline)).FailedRecordCount);
        Assert.Equal(2, proxy.Stats.InjectedFaults);
        Assert.Throws<ArgumentOutOfRangeException>(() => proxy.Faults.FailureRate = 1.5);
    }
}
