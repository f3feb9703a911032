using System.Net;
using Kinesis.Clients.Firehose;

namespace Kinesis.Clients.Tests.Firehose;

/// <summary>The Firehose client against the kit's loopback Firehose: bytes on the wire, replies, errors.</summary>
public sealed class FirehoseClientTests : IAsyncLifetime
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);
    private LoopbackFirehose _server = null!;
    private FirehoseClient _client = null!;

    public async Task InitializeAsync()
    {
        _server = await LoopbackFirehose.StartAsync();
        _server.CreateDeliveryStream("logs");
        _client = FirehoseClients.For(_server.Endpoint);
    }

    public async Task DisposeAsync()
    {
        _client.Dispose();
        await _server.DisposeAsync();
    }

    [Fact(Timeout = 30_000)]
    public async Task PutRecordBatch_delivers_every_record_byte_for_byte_in_order()
    {
        byte[][] records = [[], [0, 1, 2, 255], "line one\n"u8.ToArray(), new byte[FirehoseLimits.MaxRecordBytes]];
        records[3].AsSpan().Fill(0x5A);

        var reply = await _client.PutRecordBatchAsync("logs", records.Select(r => (ReadOnlyMemory<byte>)r).ToList()).WaitAsync(TestTimeout);

        Assert.Equal(0, reply.FailedPutCount);
        Assert.All(reply.Results, r => Assert.True(r.Succeeded));
        Assert.Equal(records.Length, reply.Results.Select(r => r.RecordId).Distinct().Count());
        Assert.Equal(records, _server.Records("logs"));
    }

    [Fact(Timeout = 30_000)]
    public async Task PutRecordBatch_reports_each_failed_entry_with_its_code_and_message()
    {
        _server.FailNext(1, FirehoseFault.PartialFailure);
        ReadOnlyMemory<byte>[] records = ["a"u8.ToArray(), "b"u8.ToArray(), "c"u8.ToArray()];

        var reply = await _client.PutRecordBatchAsync("logs", records).WaitAsync(TestTimeout);

        Assert.Equal(2, reply.FailedPutCount);
        Assert.Equal(["InternalFailure", null, "InternalFailure"], reply.Results.Select(r => r.ErrorCode));
        Assert.Equal("Internal service failure.", reply.Results[0].ErrorMessage);
        Assert.True(reply.Results[1].Succeeded);
        Assert.Equal(["b"u8.ToArray()], _server.Records("logs"));
    }

    [Fact(Timeout = 30_000)]
    public async Task Entries_over_the_quota_come_back_as_throttled_slow_down()
    {
        _server.SetQuota(new FirehoseQuota(RecordsPerSecond: 2), "logs");
        ReadOnlyMemory<byte>[] records = ["a"u8.ToArray(), "b"u8.ToArray(), "c"u8.ToArray(), "d"u8.ToArray()];

        var reply = await _client.PutRecordBatchAsync("logs", records).WaitAsync(TestTimeout);

        Assert.True(reply.FailedPutCount >= 1);
        var throttled = reply.Results.Where(r => !r.Succeeded).ToList();
        Assert.All(throttled, r =>
        {
            Assert.Equal(FirehoseErrorCodes.ServiceUnavailable, r.ErrorCode);
            Assert.Equal("Slow down.", r.ErrorMessage);
            Assert.True(r.IsThrottling);
        });
        Assert.Equal(records.Length - throttled.Count, _server.Records("logs").Count);
    }

    [Fact(Timeout = 30_000)]
    public async Task PutRecord_stores_one_record_and_returns_its_id()
    {
        var reply = await _client.PutRecordAsync("logs", "hello\n"u8.ToArray()).WaitAsync(TestTimeout);

        Assert.False(string.IsNullOrEmpty(reply.RecordId));
        Assert.Equal(["hello\n"u8.ToArray()], _server.Records("logs"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_whole_call_slow_down_is_a_retryable_throttling_error()
    {
        _server.FailNext(1, FirehoseFault.ServiceUnavailable);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => _client.PutRecordAsync("logs", "x"u8.ToArray()).WaitAsync(TestTimeout));

        Assert.Equal(FirehoseErrorCodes.ServiceUnavailable, ex.ErrorCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ex.StatusCode);
        Assert.True(ex.IsThrottling);
        Assert.True(ex.IsRetryable);
        Assert.Contains("Slow down.", ex.Message, StringComparison.Ordinal);
        Assert.Contains("logs", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_internal_failure_is_retryable_and_not_throttling()
    {
        _server.FailNext(1, FirehoseFault.InternalFailure);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => _client.PutRecordBatchAsync("logs", ["x"u8.ToArray()]).WaitAsync(TestTimeout));

        Assert.Equal("InternalFailure", ex.ErrorCode);
        Assert.True(ex.IsRetryable);
        Assert.False(ex.IsThrottling);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_delivery_stream_is_a_ResourceNotFoundException()
    {
        var ex = await Assert.ThrowsAsync<ResourceNotFoundException>(() => _client.DescribeDeliveryStreamAsync("nope").WaitAsync(TestTimeout));

        Assert.False(ex.IsRetryable);
        Assert.Contains("nope", ex.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task DescribeDeliveryStream_reads_name_arn_status_and_type()
    {
        var description = await _client.DescribeDeliveryStreamAsync("logs").WaitAsync(TestTimeout);

        Assert.Equal("logs", description.DeliveryStreamName);
        Assert.EndsWith(":deliverystream/logs", description.DeliveryStreamArn, StringComparison.Ordinal);
        Assert.True(description.IsActive);
        Assert.True(description.IsDirectPut);
        Assert.NotNull(description.CreateTimestamp);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_connection_reset_is_a_retryable_error_without_status()
    {
        _server.FailNext(1, FirehoseFault.Reset);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => _client.PutRecordBatchAsync("logs", ["x"u8.ToArray()]).WaitAsync(TestTimeout));

        Assert.Null(ex.StatusCode);
        Assert.True(ex.IsRetryable);
    }
}
