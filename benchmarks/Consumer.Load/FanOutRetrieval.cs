using Kinesis.Clients.Consumer.FanOut;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>
/// Enhanced fan-out for a run: the testing kit's SubscribeToShard server in this process, in front of the backend's
/// stream, over HTTP/2 on TLS (its self-signed certificate trusted through the consumer's Kinesis client, as behind a
/// TLS-inspecting proxy) or in cleartext h2c, so the two can be compared on the same records.
/// </summary>
internal sealed class FanOutRetrieval : IAsyncDisposable
{
    private readonly KinesisClient _backend;
    private readonly KinesisClient _consumerKinesis;

    private FanOutRetrieval(KinesisClient backend, SubscribeToShardServer server, KinesisClient consumerKinesis)
    {
        _backend = backend;
        Server = server;
        _consumerKinesis = consumerKinesis;
    }

    public SubscribeToShardServer Server { get; }

    public string Description => Server.Certificate is null ? $"enhanced fan-out, HTTP/2 cleartext (h2c) at {Server.Endpoint}" : $"enhanced fan-out, HTTP/2 over TLS at {Server.Endpoint}";

    public static async Task<FanOutRetrieval> StartAsync(Backend backend, bool tls)
    {
        var kinesis = backend.CreateKinesisClient();
        var server = await SubscribeToShardServer.StartAsync(kinesis, new SubscribeToShardServerOptions { UseTls = tls, PollInterval = TimeSpan.FromMilliseconds(50) });
        var consumerKinesis = new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = backend.KinesisEndpoint,
            Region = backend.Region,
            Credentials = Backend.Credentials,
            TrustedCertificates = server.TrustedCertificates,
        });
        return new FanOutRetrieval(kinesis, server, consumerKinesis);
    }

    /// <summary>The subscriptions so far, one line, for the report and for a run that stalls.</summary>
    public string CallSummary()
    {
        var calls = Server.Calls;
        var connections = string.Join(", ", calls.Select(c => c.Connection.ToString()).Distinct());
        return $"{calls.Count} subscriptions ({connections}), {calls.Sum(c => c.EventsSent):N0} events, {calls.Sum(c => c.SequenceNumbersSent.Count):N0} Kinesis records; refused: {calls.Count(c => c.RefusedWith is not null)}" +
            (calls.Count == 0 ? "" : $"; last: {calls[^1]}");
    }

    /// <summary>Switches <paramref name="options"/> to enhanced fan-out through the server.</summary>
    public KinesisConsumerOptions Apply(KinesisConsumerOptions options)
    {
        options.RetrievalMode = RetrievalMode.EnhancedFanOut;
        options.KinesisClient = _consumerKinesis;
        options.FanOut = new FanOutOptions { ServiceUrl = Server.Endpoint };
        return options;
    }

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        _consumerKinesis.Dispose();
        _backend.Dispose();
    }
}
