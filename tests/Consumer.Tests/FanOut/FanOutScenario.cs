using Kinesis.Clients.Consumer.FanOut;
using Kinesis.Clients.Testing;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Tests.FanOut;

/// <summary>
/// A stream in kinesis-mock with a registered consumer, a loopback SubscribeToShard server in front of it, and a
/// fan-out client pointed at that server, with intervals shortened so resubscriptions take milliseconds.
/// </summary>
/// <remarks>
/// The server speaks HTTP/2 over TLS on a self-signed certificate, as the service speaks HTTP/2 over TLS; the fan-out
/// client trusts it the way a user trusts a TLS-inspecting proxy, through its Kinesis client's
/// <see cref="KinesisClientOptions.TrustedCertificates"/>. <c>tls: false</c> runs it in cleartext (h2c), as behind a
/// LocalStack-style <c>http://</c> endpoint.
/// </remarks>
internal sealed class FanOutScenario : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    private readonly ILogger? _logger;
    private readonly TestStream _stream;

    private FanOutScenario(
        KinesisClient kinesis, KinesisClient consumerKinesis, TestStream stream, string streamArn, IReadOnlyList<Shard> shards,
        string consumerArn, SubscribeToShardServer server, FanOutSubscriber client, ILogger? logger)
    {
        Kinesis = kinesis;
        ConsumerKinesis = consumerKinesis;
        _stream = stream;
        StreamArn = streamArn;
        Shards = shards;
        ConsumerArn = consumerArn;
        Server = server;
        Client = client;
        _logger = logger;
    }

    /// <summary>The engine's client: streams, records, consumers.</summary>
    public KinesisClient Kinesis { get; }

    /// <summary>The client a consumer would be given: the engine's, trusting the server's certificate.</summary>
    public KinesisClient ConsumerKinesis { get; }

    public string StreamName => _stream.Name;

    public string StreamArn { get; }

    public IReadOnlyList<Shard> Shards { get; }

    public string ShardId => Shards[0].ShardId;

    public string ConsumerArn { get; }

    public SubscribeToShardServer Server { get; }

    public FanOutSubscriber Client { get; }

    public static async Task<FanOutScenario> StartAsync(
        LocalAws aws,
        WireProtocol protocol = WireProtocol.Cbor,
        int shards = 1,
        Action<FanOutOptions>? client = null,
        Action<SubscribeToShardServerOptions>? server = null,
        ILogger? logger = null,
        int? peakShards = null,
        bool tls = true)
    {
        var kinesis = new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = aws.KinesisEndpoint,
            Region = aws.Region,
            Credentials = aws.Credentials,
            Protocol = protocol,
        });
        var stream = await aws.NewStreamAsync(shards, "efo", peakShards, through: kinesis);
        try
        {
            var summary = await kinesis.DescribeStreamSummaryAsync(stream).WaitAsync(Deadline);
            var consumer = await StreamConsumerRegistration.EnsureRegisteredAsync(
                kinesis, summary.StreamArn, "efo-test", Deadline, TimeSpan.FromMilliseconds(100), logger, CancellationToken.None).WaitAsync(Deadline);

            var serverOptions = new SubscribeToShardServerOptions
            {
                UseTls = tls,
                ResubscribeGuard = TimeSpan.FromMilliseconds(250),
                HeartbeatInterval = TimeSpan.FromMilliseconds(200),
                PollInterval = TimeSpan.FromMilliseconds(50),
            };
            server?.Invoke(serverOptions);
            var loopback = await SubscribeToShardServer.StartAsync(kinesis, serverOptions).WaitAsync(Deadline);
            var consumerKinesis = new KinesisClient(new KinesisClientOptions
            {
                ServiceUrl = aws.KinesisEndpoint,
                Region = aws.Region,
                Credentials = aws.Credentials,
                Protocol = protocol,
                TrustedCertificates = loopback.TrustedCertificates,
            });

            var fanOut = new FanOutOptions
            {
                ServiceUrl = loopback.Endpoint,
                ResubscribeInterval = TimeSpan.FromMilliseconds(250),
                SilenceTimeout = TimeSpan.FromSeconds(10),
                RetryBaseDelay = TimeSpan.FromMilliseconds(50),
                RetryMaxDelay = TimeSpan.FromMilliseconds(500),
            };
            client?.Invoke(fanOut);
            var list = await kinesis.ListAllShardsAsync(stream).WaitAsync(Deadline);
            return new FanOutScenario(
                kinesis, consumerKinesis, stream, summary.StreamArn, list.OrderBy(s => s.ShardId, StringComparer.Ordinal).ToList(), consumer.ConsumerArn,
                loopback, new FanOutSubscriber(consumerKinesis, fanOut), logger);
        }
        catch
        {
            await stream.DisposeAsync();
            kinesis.Dispose();
            throw;
        }
    }

    public FanOutShardReader Reader(SubscribePosition? start = null, string? shardId = null) =>
        new(Client, ConsumerArn, shardId ?? ShardId, start ?? SubscribePosition.TrimHorizon, _logger);

    /// <summary>Puts records with PutRecords and returns their sequence numbers in put order.</summary>
    public async Task<List<string>> PutAsync(IReadOnlyList<PutRecordsEntry> entries)
    {
        var sequenceNumbers = new List<string>();
        foreach (var chunk in entries.Chunk(KinesisClient.MaxPutRecordsCount))
        {
            var result = await Kinesis.PutRecordsAsync(StreamName, chunk).WaitAsync(Deadline);
            Assert.Equal(0, result.FailedRecordCount);
            sequenceNumbers.AddRange(result.Records.Select(r => r.SequenceNumber!));
        }

        return sequenceNumbers;
    }

    public static List<PutRecordsEntry> Entries(int count, string prefix = "r", int from = 0) =>
        Enumerable.Range(from, count)
            .Select(i => new PutRecordsEntry($"key-{i % 13}", System.Text.Encoding.UTF8.GetBytes($"{prefix}-{i}-" + new string('x', i % 200))))
            .ToList();

    /// <summary>Reads events until <paramref name="done"/> holds or the shard ends; fails with what arrived if time runs out.</summary>
    public async Task<List<SubscribeToShardEvent>> ReadUntilAsync(FanOutShardReader reader, Func<IReadOnlyList<SubscribeToShardEvent>, bool> done, TimeSpan? timeout = null)
    {
        var events = new List<SubscribeToShardEvent>();
        using var limit = new CancellationTokenSource(timeout ?? Deadline);
        try
        {
            while (!done(events) && await reader.ReadNextAsync(limit.Token) is { } next)
            {
                events.Add(next);
            }
        }
        catch (OperationCanceledException ex) when (limit.IsCancellationRequested)
        {
            throw new TimeoutException(
                $"Read {events.Count} events with {events.Sum(e => e.Records.Count)} records in {(timeout ?? Deadline).TotalSeconds} s; " +
                $"{reader.Subscriptions} subscriptions; server calls: [{string.Join("; ", Server.Calls)}]", ex);
        }

        return events;
    }

    public Task<List<SubscribeToShardEvent>> ReadRecordsAsync(FanOutShardReader reader, int records, TimeSpan? timeout = null) =>
        ReadUntilAsync(reader, events => events.Sum(e => e.Records.Count) >= records, timeout);

    public static List<string> SequenceNumbers(IEnumerable<SubscribeToShardEvent> events) =>
        events.SelectMany(e => e.Records).Select(r => r.SequenceNumber).ToList();

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Server.DisposeAsync();
        await _stream.DisposeAsync();
        ConsumerKinesis.Dispose();
        Kinesis.Dispose();
    }
}
