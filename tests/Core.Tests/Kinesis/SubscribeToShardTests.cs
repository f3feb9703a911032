using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Tests.Kinesis;

/// <summary>
/// <see cref="KinesisClient.SubscribeToShardAsync"/> against the kit's loopback SubscribeToShard server (HTTP/2 over
/// TLS on a self-signed certificate the client trusts, as the service speaks it; cleartext where a test says so), which
/// reads the shard from kinesis-mock: the request, the event stream, and how refusals and exception events surface.
/// </summary>
[Trait("Category", "Engine")]
public sealed class SubscribeToShardTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private static readonly TimeSpan Deadline = EngineClients.Deadline;

    private readonly LocalAws _aws = fixture.Aws;

    [Theory(Timeout = 120_000)]
    [InlineData(WireProtocol.Cbor)]
    [InlineData(WireProtocol.Json)]
    public async Task A_subscription_delivers_the_shard_in_order_with_continuations(WireProtocol protocol)
    {
        await using var setup = await Setup.StartAsync(_aws, protocol);
        var put = await setup.Engine.PutRecordsAsync(
            setup.Stream, Enumerable.Range(0, 5).Select(i => new PutRecordsEntry($"key-{i}", Encoding.UTF8.GetBytes($"record-{i}"))).ToList())
            .WaitAsync(Deadline);

        await using var subscription = await setup.Subscriber.SubscribeToShardAsync(setup.ConsumerArn, setup.ShardId, SubscribePosition.TrimHorizon)
            .WaitAsync(Deadline);
        var events = new List<SubscribeToShardEvent>();
        while (events.Sum(e => e.Records.Count) < 5 && await subscription.ReadNextAsync().AsTask().WaitAsync(Deadline) is { } next)
        {
            events.Add(next);
        }

        var records = events.SelectMany(e => e.Records).ToList();
        Assert.Equal(put.Records.Select(r => r.SequenceNumber), records.Select(r => r.SequenceNumber));
        Assert.Equal(Enumerable.Range(0, 5).Select(i => $"record-{i}"), records.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.All(events, e => Assert.False(e.IsShardEnd));
        Assert.Equal(events.Count, subscription.EventsRead);
        var call = Assert.Single(setup.Server.Calls);
        Assert.Equal("TRIM_HORIZON", call.StartingPositionType);
        Assert.Equal(protocol == WireProtocol.Cbor, call.IsCbor);
        Assert.Equal(call.ContinuationsSent[events.Count - 1], events[^1].ContinuationSequenceNumber);
        Assert.True(call.Connection.IsHttp2OverTls, call.Connection.ToString());
    }

    [Fact(Timeout = 120_000)]
    public async Task An_http_endpoint_is_spoken_to_in_cleartext_HTTP2_with_prior_knowledge()
    {
        await using var setup = await Setup.StartAsync(_aws, WireProtocol.Cbor, tls: false);
        var put = await setup.Engine.PutRecordAsync(new PutRecordRequest { StreamName = setup.Stream, PartitionKey = "a", Data = "plain"u8.ToArray() }).WaitAsync(Deadline);

        await using var subscription = await setup.Subscriber.SubscribeToShardAsync(setup.ConsumerArn, setup.ShardId, SubscribePosition.TrimHorizon)
            .WaitAsync(Deadline);
        SubscribeToShardEvent? next;
        do
        {
            next = await subscription.ReadNextAsync().AsTask().WaitAsync(Deadline);
        }
        while (next is { Records.Count: 0 });

        Assert.Equal("http", setup.Server.Endpoint.Scheme);
        Assert.Equal(put.SequenceNumber, next!.Records[0].SequenceNumber);
        var call = Assert.Single(setup.Server.Calls);
        Assert.Equal(new SubscriptionConnection("HTTP/2", System.Security.Authentication.SslProtocols.None, null), call.Connection);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_server_certificate_the_client_does_not_trust_fails_the_handshake_and_the_error_says_why()
    {
        await using var setup = await Setup.StartAsync(_aws, WireProtocol.Cbor);
        using var other = LoopbackCertificate.Create("someone-else");
        foreach (var trusted in new X509Certificate2Collection?[] { null, [LoopbackCertificate.PublicPart(other)] })
        {
            using var untrusting = new KinesisClient(new KinesisClientOptions
            {
                ServiceUrl = setup.Server.Endpoint,
                Region = _aws.Region,
                Credentials = _aws.Credentials,
                TrustedCertificates = trusted,
            });

            var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
                untrusting.SubscribeToShardAsync(setup.ConsumerArn, setup.ShardId, SubscribePosition.TrimHorizon).WaitAsync(Deadline));

            Assert.True(error.IsRetryable);
            Assert.Null(error.StatusCode);
            Assert.Contains($"got no response from {setup.Server.Endpoint}", error.Message, StringComparison.Ordinal);
            Assert.Contains("AuthenticationException: The remote certificate", error.Message, StringComparison.Ordinal);
        }

        Assert.Empty(setup.Server.Calls);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_subscription_resumes_after_a_continuation_sequence_number()
    {
        await using var setup = await Setup.StartAsync(_aws, WireProtocol.Cbor);
        var first = await setup.Engine.PutRecordAsync(new PutRecordRequest { StreamName = setup.Stream, PartitionKey = "a", Data = "one"u8.ToArray() }).WaitAsync(Deadline);
        var second = await setup.Engine.PutRecordAsync(new PutRecordRequest { StreamName = setup.Stream, PartitionKey = "a", Data = "two"u8.ToArray() }).WaitAsync(Deadline);

        await using var subscription = await setup.Subscriber.SubscribeToShardAsync(
            setup.ConsumerArn, setup.ShardId, SubscribePosition.AfterSequenceNumber(first.SequenceNumber)).WaitAsync(Deadline);
        SubscribeToShardEvent? next;
        do
        {
            next = await subscription.ReadNextAsync().AsTask().WaitAsync(Deadline);
        }
        while (next is { Records.Count: 0 });

        Assert.NotNull(next);
        Assert.Equal(second.SequenceNumber, next.Records[0].SequenceNumber);
        var call = Assert.Single(setup.Server.Calls);
        Assert.Equal("AFTER_SEQUENCE_NUMBER", call.StartingPositionType);
        Assert.Equal(first.SequenceNumber, call.SequenceNumber);
    }

    [Theory(Timeout = 120_000)]
    [InlineData("ResourceInUseException", true)]
    [InlineData("KMSThrottlingException", false)]
    [InlineData("InternalFailureException", false)]
    public async Task An_exception_event_becomes_the_mapped_AwsServiceException(string exceptionType, bool typed)
    {
        await using var setup = await Setup.StartAsync(_aws, WireProtocol.Cbor);
        setup.Server.Enqueue(SubscriptionScript.ExceptionAfterEvents(1, exceptionType, "told by the test"));
        await using var subscription = await setup.Subscriber.SubscribeToShardAsync(setup.ConsumerArn, setup.ShardId, SubscribePosition.TrimHorizon)
            .WaitAsync(Deadline);
        Assert.NotNull(await subscription.ReadNextAsync().AsTask().WaitAsync(Deadline));

        var error = await Assert.ThrowsAnyAsync<AwsServiceException>(() => subscription.ReadNextAsync().AsTask().WaitAsync(Deadline));

        Assert.Equal(exceptionType, error.ErrorCode);
        Assert.Equal(typed, error is ResourceInUseException);
        Assert.Equal(exceptionType != "ResourceInUseException", error.IsRetryable);
        Assert.Equal(HttpStatusCode.OK, error.StatusCode);
        Assert.StartsWith($"Kinesis SubscribeToShard stream sent {exceptionType}: told by the test (shard {setup.ShardId}", error.Message, StringComparison.Ordinal);
        Assert.Contains("after 1 events", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_refusal_is_a_typed_exception_with_status_and_request_id()
    {
        await using var setup = await Setup.StartAsync(_aws, WireProtocol.Json);

        var error = await Assert.ThrowsAsync<ResourceNotFoundException>(() =>
            setup.Subscriber.SubscribeToShardAsync(setup.ConsumerArn, "shardId-000000000042", SubscribePosition.TrimHorizon).WaitAsync(Deadline));

        Assert.Equal(HttpStatusCode.BadRequest, error.StatusCode);
        Assert.Equal("SubscribeToShard", error.Operation);
        Assert.NotNull(error.RequestId);
        Assert.Contains("shardId-000000000042", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_endpoint_that_does_not_answer_gives_a_retryable_error_without_a_status()
    {
        using var nowhere = new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = new Uri("http://127.0.0.1:9/"),
            Region = _aws.Region,
            Credentials = _aws.Credentials,
            ConnectTimeout = TimeSpan.FromSeconds(2),
        });

        var error = await Assert.ThrowsAsync<AwsServiceException>(() =>
            nowhere.SubscribeToShardAsync("arn:aws:kinesis:us-east-1:000000000000:stream/s/consumer/c:1", "shardId-000000000000", SubscribePosition.Latest)
                .WaitAsync(Deadline));

        Assert.True(error.IsRetryable);
        Assert.Null(error.StatusCode);
        Assert.Contains("got no response from http://127.0.0.1:9/", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_arguments_are_refused_before_anything_is_sent()
    {
        using var client = new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = new Uri("http://127.0.0.1:9/"),
            Region = "us-east-1",
            Credentials = _aws.Credentials,
        });

        await Assert.ThrowsAsync<ArgumentException>(() => client.SubscribeToShardAsync(" ", "shardId-000000000000", SubscribePosition.Latest));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SubscribeToShardAsync("arn", "", SubscribePosition.Latest));
        await Assert.ThrowsAsync<ArgumentException>(() => client.SubscribeToShardAsync("arn", "shardId-000000000000", default(SubscribePosition) with { Type = (ShardIteratorType)42 }));
        client.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => client.SubscribeToShardAsync("arn", "shardId-000000000000", SubscribePosition.Latest));
    }

    /// <summary>A one-shard stream in kinesis-mock with an active consumer, and a client pointed at the loopback server.</summary>
    private sealed class Setup : IAsyncDisposable
    {
        private Setup(KinesisClient engine, KinesisClient subscriber, SubscribeToShardServer server, TestStream stream, string consumerArn, string shardId)
        {
            Engine = engine;
            Subscriber = subscriber;
            Server = server;
            Stream = stream;
            ConsumerArn = consumerArn;
            ShardId = shardId;
        }

        public KinesisClient Engine { get; }

        public KinesisClient Subscriber { get; }

        public SubscribeToShardServer Server { get; }

        public TestStream Stream { get; }

        public string ConsumerArn { get; }

        public string ShardId { get; }

        public static async Task<Setup> StartAsync(LocalAws aws, WireProtocol protocol, bool tls = true)
        {
            var engine = EngineClients.Client(aws, protocol);
            var stream = await EngineClients.NewStreamAsync(engine, 1, "sub");
            try
            {
                var summary = await engine.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline);
                var consumer = await engine.RegisterStreamConsumerAsync(summary.StreamArn, "core-sub").WaitAsync(Deadline);
                using var limit = new CancellationTokenSource(Deadline);
                while (!consumer.IsActive)
                {
                    await Task.Delay(100, limit.Token);
                    consumer = await engine.DescribeStreamConsumerAsync(consumer.ConsumerArn, cancellationToken: limit.Token);
                }

                var server = await SubscribeToShardServer.StartAsync(
                    engine, new SubscribeToShardServerOptions { UseTls = tls, HeartbeatInterval = TimeSpan.FromMilliseconds(200), PollInterval = TimeSpan.FromMilliseconds(50) })
                    .WaitAsync(Deadline);
                var subscriber = new KinesisClient(new KinesisClientOptions
                {
                    ServiceUrl = server.Endpoint,
                    Region = aws.Region,
                    Credentials = aws.Credentials,
                    Protocol = protocol,
                    TrustedCertificates = server.TrustedCertificates,
                });
                var shards = await engine.ListAllShardsAsync(stream).WaitAsync(Deadline);
                return new Setup(engine, subscriber, server, stream, consumer.ConsumerArn, shards[0].ShardId);
            }
            catch
            {
                await stream.DisposeAsync();
                throw;
            }
        }

        public async ValueTask DisposeAsync()
        {
            Subscriber.Dispose();
            await Server.DisposeAsync();
            await Stream.DisposeAsync();
            Engine.Dispose();
        }
    }
}
