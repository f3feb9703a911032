using System.Formats.Cbor;
using System.Net;
using System.Text;
using Amazon.Runtime;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Tests.Http;

/// <summary>How the client reports answers that are not a well-formed AWS reply.</summary>
public sealed class KinesisClientFailureTests
{
    private static readonly TimeSpan TestTimeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Proxy_html_502_becomes_a_retryable_error_with_status_and_snippet()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Respond(
            502, "text/html", Encoding.UTF8.GetBytes("<html><body><h1>502 Bad Gateway</h1></body></html>")));
        using var client = Client(server.Endpoint);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(
            () => client.DescribeStreamSummaryAsync("orders").WaitAsync(TestTimeout));

        Assert.Equal(HttpStatusCode.BadGateway, ex.StatusCode);
        Assert.Null(ex.ErrorCode);
        Assert.True(ex.IsRetryable);
        Assert.Contains("502 Bad Gateway", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DescribeStreamSummary", ex.Message, StringComparison.Ordinal);
        Assert.Contains("orders", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connection_reset_becomes_a_retryable_error_without_status()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Reset());
        using var client = Client(server.Endpoint);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(
            () => client.PutRecordsAsync("orders", [new PutRecordsEntry("k", "v"u8.ToArray())]).WaitAsync(TestTimeout));

        Assert.Null(ex.StatusCode);
        Assert.True(ex.IsRetryable);
        Assert.Contains("no response", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Silent_server_times_out_with_a_retryable_error()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Hang());
        using var client = Client(server.Endpoint, requestTimeout: TimeSpan.FromMilliseconds(300));

        var ex = await Assert.ThrowsAsync<AwsServiceException>(
            () => client.GetRecordsAsync("iterator").WaitAsync(TestTimeout));

        Assert.True(ex.IsRetryable);
        Assert.Contains("timed out", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Caller_cancellation_is_reported_as_cancellation_not_as_a_service_error()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Hang());
        using var client = Client(server.Endpoint);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.GetRecordsAsync("iterator", cancellationToken: cts.Token).WaitAsync(TestTimeout));
    }

    [Fact]
    public async Task Success_status_with_an_unreadable_body_is_an_error_not_a_crash()
    {
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Respond(
            200, "application/x-amz-json-1.1", Encoding.UTF8.GetBytes("{\"ShardId\": ")));
        using var client = Client(server.Endpoint, WireProtocol.Json);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(
            () => client.PutRecordAsync(new PutRecordRequest { StreamName = "orders", PartitionKey = "k", Data = "v"u8.ToArray() })
                .WaitAsync(TestTimeout));

        Assert.Equal(HttpStatusCode.OK, ex.StatusCode);
        Assert.Contains("could not be read", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PutRecords_reply_with_the_wrong_number_of_results_is_an_error()
    {
        var writer = new CborWriter();
        writer.WriteStartMap(2);
        writer.WriteTextString("FailedRecordCount");
        writer.WriteInt32(0);
        writer.WriteTextString("Records");
        writer.WriteStartArray(1);
        writer.WriteStartMap(2);
        writer.WriteTextString("ShardId");
        writer.WriteTextString("shardId-000000000000");
        writer.WriteTextString("SequenceNumber");
        writer.WriteTextString("1");
        writer.WriteEndMap();
        writer.WriteEndArray();
        writer.WriteEndMap();
        var body = writer.Encode();
        await using var server = new ScriptedHttpServer(_ => ScriptedHttpServer.Respond(200, "application/x-amz-cbor-1.1", body));
        using var client = Client(server.Endpoint);

        var ex = await Assert.ThrowsAsync<AwsServiceException>(() => client.PutRecordsAsync(
            "orders",
            [new PutRecordsEntry("a", "1"u8.ToArray()), new PutRecordsEntry("b", "2"u8.ToArray())]).WaitAsync(TestTimeout));

        Assert.Contains("2 records", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_carries_target_and_content_type_for_the_chosen_protocol()
    {
        var targets = new List<string>();
        await using var server = new ScriptedHttpServer(target =>
        {
            lock (targets)
            {
                targets.Add(target);
            }

            return ScriptedHttpServer.Respond(200, "application/x-amz-json-1.1", Encoding.UTF8.GetBytes("{\"ShardIterator\":\"it-1\"}"));
        });
        using var client = Client(server.Endpoint, WireProtocol.Json);

        var iterator = await client.GetShardIteratorAsync(new GetShardIteratorRequest
        {
            StreamName = "orders",
            ShardId = "shardId-000000000000",
            IteratorType = ShardIteratorType.TrimHorizon,
        }).WaitAsync(TestTimeout);

        Assert.Equal("it-1", iterator);
        Assert.Equal(["Kinesis_20131202.GetShardIterator"], targets);
    }

    private static KinesisClient Client(Uri endpoint, WireProtocol protocol = WireProtocol.Cbor, TimeSpan? requestTimeout = null) =>
        new(new KinesisClientOptions
        {
            ServiceUrl = endpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("AKIDEXAMPLE", "secret"),
            Protocol = protocol,
            RequestTimeout = requestTimeout ?? TimeSpan.FromSeconds(10),
        });
}
