using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Kinesis.Clients.Testing;

/// <summary>
/// A SubscribeToShard endpoint on 127.0.0.1 (Kestrel, a free port) for the engines that lack one: HTTP/2 over TLS
/// with ALPN as the service speaks it, on a self-signed certificate made at start-up (<see cref="Certificate"/>, which a
/// client trusts through <see cref="KinesisClientOptions.TrustedCertificates"/>), or cleartext HTTP/2 with prior
/// knowledge when <see cref="SubscribeToShardServerOptions.UseTls"/> is off. It checks each request is SigV4-signed for <c>kinesis</c>, resolves the consumer ARN through the backing
/// engine's DescribeStreamConsumer (register consumers there), and streams real event-stream frames: an
/// <c>initial-response</c>, then <c>SubscribeToShardEvent</c>s with the records it reads from the backing shard with
/// GetRecords, so records put with PutRecord(s) arrive through it; heartbeats while the shard is idle; the last
/// event with child shards and no continuation at the end of a closed shard.
/// </summary>
/// <remarks>
/// Like the service it ends a subscription after <see cref="SubscribeToShardServerOptions.SubscriptionLifetime"/>,
/// refuses a second subscription of a consumer and shard within
/// <see cref="SubscribeToShardServerOptions.ResubscribeGuard"/> with <c>ResourceInUseException</c>, and after it lets
/// the new one take over, sending the old one that exception as an event. <see cref="Enqueue"/> scripts faults.
/// Other operations are not served: point the Kinesis client at the engine and only SubscribeToShard here.
/// </remarks>
public sealed partial class SubscribeToShardServer : IAsyncDisposable
{
    private readonly LoopbackHost _host;
    private readonly KinesisClient _backend;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<SubscriptionCall> _calls = [];
    private readonly Queue<SubscriptionScript> _scripts = new();
    private readonly Dictionary<(string Consumer, string Shard), long> _lastAccepted = [];
    private readonly Dictionary<(string Consumer, string Shard), CancellationTokenSource> _active = [];
    private readonly ConditionWaiters _waiters;

    private readonly X509Certificate2? _serverCertificate;

    private SubscribeToShardServer(LoopbackHost host, KinesisClient backend, SubscribeToShardServerOptions options, X509Certificate2? serverCertificate)
    {
        _waiters = new ConditionWaiters(_gate);
        _host = host;
        Endpoint = host.Endpoint;
        _backend = backend;
        Options = options;
        _serverCertificate = serverCertificate;
        Certificate = serverCertificate is null ? null : LoopbackCertificate.PublicPart(serverCertificate);
    }

    /// <summary>
    /// The endpoint to subscribe at: <c>https://127.0.0.1:40123/</c> (HTTP/2 over TLS), or <c>http://127.0.0.1:40123/</c>
    /// (HTTP/2 prior knowledge) without TLS.
    /// </summary>
    public Uri Endpoint { get; }

    /// <summary>The server's self-signed certificate (its public part), or <see langword="null"/> without TLS.</summary>
    public X509Certificate2? Certificate { get; }

    /// <summary>
    /// What a client sets as <see cref="KinesisClientOptions.TrustedCertificates"/> to subscribe here: the server's
    /// certificate, or <see langword="null"/> without TLS.
    /// </summary>
    public X509Certificate2Collection? TrustedCertificates => Certificate is null ? null : [Certificate];

    /// <summary>The behaviour in force; changes apply to the subscriptions that start afterwards.</summary>
    public SubscribeToShardServerOptions Options { get; }

    /// <summary>Every request that got as far as a readable body, in arrival order.</summary>
    public IReadOnlyList<SubscriptionCall> Calls
    {
        get
        {
            lock (_gate)
            {
                return [.. _calls];
            }
        }
    }

    /// <summary>Starts a server that reads records through <paramref name="backend"/> (not disposed by the server).</summary>
    public static async Task<SubscribeToShardServer> StartAsync(
        KinesisClient backend,
        SubscribeToShardServerOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(backend);
        options ??= new();
        var certificate = options.UseTls ? LoopbackCertificate.Create("kinesis-subscribe-to-shard") : null;
        try
        {
            SubscribeToShardServer? server = null;
            var host = await LoopbackHost.StartAsync(
                context => server!.HandleAsync(context),
                // HTTP/2 only: over TLS a client that does not offer "h2" in ALPN is turned away, as by the service.
                HttpProtocols.Http2,
                kestrel => kestrel.Limits.Http2.MaxStreamsPerConnection = 1000,
                listen: port =>
                {
                    if (certificate is not null)
                    {
                        port.UseHttps(https =>
                        {
                            https.ServerCertificate = certificate;
                            https.SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13;
                        });
                    }
                },
                cancellationToken: cancellationToken).ConfigureAwait(false);
            server = new SubscribeToShardServer(host, backend, options, certificate);
            return server;
        }
        catch
        {
            certificate?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes the next subscription that passes the server's checks follow <paramref name="script"/> (after any
    /// queued before); subscriptions with no script left run normally.
    /// </summary>
    public void Enqueue(SubscriptionScript script)
    {
        ArgumentNullException.ThrowIfNull(script);
        lock (_gate)
        {
            _scripts.Enqueue(script);
        }
    }

    /// <summary>Waits until at least <paramref name="count"/> requests were received and returns them all.</summary>
    /// <exception cref="TimeoutException">Fewer arrived in time; the message lists those that did.</exception>
    public async Task<IReadOnlyList<SubscriptionCall>> WaitForCallsAsync(int count, TimeSpan timeout)
    {
        await WaitUntilAsync(() => _calls.Count >= count, $"{count} subscription requests", timeout).ConfigureAwait(false);
        return Calls;
    }

    /// <summary>Waits until <paramref name="condition"/> holds for the calls received so far.</summary>
    /// <exception cref="TimeoutException">It did not hold in time; the message lists the calls.</exception>
    public Task WaitUntilAsync(Func<IReadOnlyList<SubscriptionCall>, bool> condition, string what, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(condition);
        return WaitUntilAsync(() => condition(_calls), what, timeout);
    }

    /// <summary>Stops the server; open subscriptions end.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await _host.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        Certificate?.Dispose();
        _serverCertificate?.Dispose();
    }

    private Task WaitUntilAsync(Func<bool> reached, string what, TimeSpan timeout) =>
        _waiters.WaitUntilAsync(reached, what, () => $"calls: [{string.Join("; ", Calls)}]", timeout);

    // Calls and their counters change from request threads; waiters are checked whenever something changed.
    private void Changed()
    {
        lock (_gate)
        {
            _waiters.Signal();
        }
    }
}
