using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Kinesis.Clients.Testing;

/// <summary>
/// A LocalStack-style edge: one loopback port (HTTP/1.1 and HTTP/2 without TLS, served by Kestrel) in front of the engines,
/// sending each request to the service it is for, as LocalStack's gateway on port 4566 does (see
/// <see cref="EdgeRoute"/>): Kinesis to kinesis-mock, SubscribeToShard to a <see cref="SubscribeToShardServer"/> over
/// kinesis-mock, DynamoDB to dynalite, CloudWatch to a <see cref="LoopbackCloudWatch"/>. Pointing
/// <c>KINESIS_CLIENTS_ENDPOINT</c> at <see cref="Endpoint"/> runs the suite as it would run against LocalStack.
/// </summary>
public sealed partial class LocalEdge : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly PrefaceSniffer _port;
    private readonly HttpClient _http;
    private readonly KinesisClient _fanOutBackend;
    private readonly Uri _kinesis;
    private readonly Uri _dynamoDb;

    private LocalEdge(
        WebApplication app, PrefaceSniffer port, Uri endpoint, Uri kinesis, Uri dynamoDb, KinesisClient fanOutBackend,
        SubscribeToShardServer fanOut, LoopbackCloudWatch cloudWatch)
    {
        _app = app;
        _port = port;
        Endpoint = endpoint;
        _kinesis = kinesis;
        _dynamoDb = dynamoDb;
        _fanOutBackend = fanOutBackend;
        FanOut = fanOut;
        CloudWatch = cloudWatch;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            EnableMultipleHttp2Connections = true,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        })
        {
            // Subscriptions stream for minutes; each request is bounded by its caller instead.
            Timeout = Timeout.InfiniteTimeSpan,
        };
    }

    /// <summary>The one endpoint for every service, e.g. <c>http://127.0.0.1:4566/</c>.</summary>
    public Uri Endpoint { get; }

    /// <summary>Serves the SubscribeToShard calls that reach the edge.</summary>
    public SubscribeToShardServer FanOut { get; }

    /// <summary>Records the PutMetricData calls that reach the edge.</summary>
    public LoopbackCloudWatch CloudWatch { get; }

    /// <summary>Requests the edge received, by the service it sent them to.</summary>
    public IReadOnlyDictionary<EdgeService, long> Requests
    {
        get
        {
            lock (_counts)
            {
                return new Dictionary<EdgeService, long>(_counts);
            }
        }
    }

    /// <summary>Starts the edge on <paramref name="port"/> of 127.0.0.1 (0: a free port) in front of the given engines.</summary>
    /// <param name="kinesis">kinesis-mock's endpoint.</param>
    /// <param name="dynamoDb">dynalite's endpoint.</param>
    /// <param name="region">The region the fan-out server signs its reads of kinesis-mock for.</param>
    /// <param name="port">The port to listen on; 0 picks a free one.</param>
    /// <param name="cancellationToken">Cancels starting.</param>
    public static async Task<LocalEdge> StartAsync(Uri kinesis, Uri dynamoDb, string region, int port = 0, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(kinesis);
        ArgumentNullException.ThrowIfNull(dynamoDb);
        ArgumentOutOfRangeException.ThrowIfNegative(port);
        var fanOutBackend = new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = kinesis,
            Region = region,
            Credentials = new Amazon.Runtime.BasicAWSCredentials("AKIDEDGEFANOUT", "edge-fan-out-secret"),
        });
        SubscribeToShardServer? fanOut = null;
        LoopbackCloudWatch? cloudWatch = null;
        try
        {
            // LocalStack's edge is http:// and forwards SubscribeToShard as cleartext HTTP/2, so the server behind it is too.
            fanOut = await SubscribeToShardServer.StartAsync(
                fanOutBackend, new SubscribeToShardServerOptions { UseTls = false }, cancellationToken).ConfigureAwait(false);
            cloudWatch = await LoopbackCloudWatch.StartAsync(cancellationToken).ConfigureAwait(false);
            LocalEdge? edge = null;
            var (app, http1, http2) = await StartKestrelAsync(() => edge!.HandleAsync, cancellationToken).ConfigureAwait(false);
            PrefaceSniffer sniffer;
            try
            {
                sniffer = PrefaceSniffer.Start(port, http1, http2);
            }
            catch (SocketException e)
            {
                await app.DisposeAsync().ConfigureAwait(false);
                throw new IOException($"Cannot listen on 127.0.0.1:{port}: {e.Message}", e);
            }

            edge = new LocalEdge(app, sniffer, new Uri($"http://127.0.0.1:{sniffer.Port}/"), kinesis, dynamoDb, fanOutBackend, fanOut, cloudWatch);
            return edge;
        }
        catch
        {
            if (cloudWatch is not null)
            {
                await cloudWatch.DisposeAsync().ConfigureAwait(false);
            }

            if (fanOut is not null)
            {
                await fanOut.DisposeAsync().ConfigureAwait(false);
            }

            fanOutBackend.Dispose();
            throw;
        }
    }

    // Kestrel serves cleartext HTTP/2 only on an endpoint of its own, so the edge has two behind its public port.
    // Ports picked as free can be taken before Kestrel binds them; then it tries new ones.
    private static async Task<(WebApplication App, IPEndPoint Http1, IPEndPoint Http2)> StartKestrelAsync(
        Func<RequestDelegate> handler, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePort.Next(2);
            var http1 = new IPEndPoint(IPAddress.Loopback, ports[0]);
            var http2 = new IPEndPoint(IPAddress.Loopback, ports[1]);
            var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
            builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
            {
                kestrel.Listen(http1, listen => listen.Protocols = HttpProtocols.Http1);
                kestrel.Listen(http2, listen => listen.Protocols = HttpProtocols.Http2);
                kestrel.Limits.Http2.MaxStreamsPerConnection = 1000;
                // PutRecords carries up to 5 MiB, and more in base64 JSON; the engines judge the size, not the edge.
                kestrel.Limits.MaxRequestBodySize = 64 * 1024 * 1024;
            });
            var app = builder.Build();
            app.Run(context => handler()(context));
            try
            {
                await app.StartAsync(cancellationToken).ConfigureAwait(false);
                return (app, http1, http2);
            }
            catch (IOException) when (attempt < 3)
            {
                await app.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Stops listening, then the servers behind it; the engines are the caller's to stop.</summary>
    public async ValueTask DisposeAsync()
    {
        await _port.DisposeAsync().ConfigureAwait(false);
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        await FanOut.DisposeAsync().ConfigureAwait(false);
        await CloudWatch.DisposeAsync().ConfigureAwait(false);
        _fanOutBackend.Dispose();
        _http.Dispose();
    }
}
