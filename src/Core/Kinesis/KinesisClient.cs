using Kinesis.Clients.Auth;
using Kinesis.Clients.Endpoints;
using Kinesis.Clients.Http;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients;

/// <summary>
/// A lean Kinesis Data Streams client: the operations this suite needs, in CBOR 1.1 or JSON 1.1,
/// signed with SigV4 through AWSSDK.Core. Thread-safe; create one per endpoint and share it.
/// </summary>
/// <remarks>
/// Failures surface as <see cref="AwsServiceException"/> (or a subtype such as
/// <see cref="ResourceNotFoundException"/>); bad arguments are rejected with an
/// <see cref="ArgumentException"/> before any request is sent. The client does not retry:
/// the producer and consumer decide when and how to retry.
/// </remarks>
public sealed partial class KinesisClient : IDisposable
{
    internal const string ServiceName = "Kinesis";
    internal const string TargetPrefix = "Kinesis_20131202";

    private readonly AwsRpcTransport _transport;
    private readonly SigV4Signer _signer;
    private readonly Lazy<EventStreamTransport> _subscriptions;
    private bool _disposed;

    /// <summary>Builds a client; throws <see cref="ArgumentException"/> naming any invalid option.</summary>
    public KinesisClient(KinesisClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Region = AwsRegionResolver.Resolve(options.Region);
        Endpoint = AwsEndpointResolver.Resolve("KINESIS", "kinesis", options.ServiceUrl, Region);
        var credentials = AwsCredentialsResolver.Resolve(options.Credentials);
        var signer = new SigV4Signer(credentials, Region, "kinesis", options.TimeProvider);
        _signer = signer;

        // Only a client that subscribes opens the HTTP/2 pool.
        _subscriptions = new Lazy<EventStreamTransport>(CreateSubscriptionTransport, LazyThreadSafetyMode.ExecutionAndPublication);

        var ownsHttp = true;
        HttpClient http;
        if (options.HttpHandler is not null)
        {
            http = new HttpClient(options.HttpHandler, disposeHandler: false);
        }
        else
        {
            var handler = new SocketsHttpHandler
            {
                MaxConnectionsPerServer = options.MaxConnections,
                // Recycle connections so DNS changes of the regional endpoint are seen.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
                ConnectTimeout = options.ConnectTimeout,
                AutomaticDecompression = System.Net.DecompressionMethods.None,
            };
            EndpointTrust.Apply(handler, options.TrustedCertificates);
            http = new HttpClient(handler);
        }

        http.Timeout = Timeout.InfiniteTimeSpan;
        _transport = new AwsRpcTransport(
            ServiceName,
            TargetPrefix,
            Endpoint,
            signer,
            options.Protocol,
            options.RequestTimeout,
            http,
            ownsHttp,
            options.TimeProvider);
    }

    /// <summary>The options the client was built with.</summary>
    public KinesisClientOptions Options { get; }

    /// <summary>The region requests are signed for.</summary>
    public string Region { get; }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint { get; }

    /// <summary>The body encoding in use.</summary>
    public WireProtocol Protocol => _transport.Protocol;

    /// <summary>Closes the client's connections (not a handler passed in the options) and its open subscriptions.</summary>
    public void Dispose()
    {
        _disposed = true;
        _transport.Dispose();
        if (_subscriptions.IsValueCreated)
        {
            _subscriptions.Value.Dispose();
        }
    }

    private Task<TResult> SendAsync<TState, TResult>(
        string operation,
        TState state,
        Action<IWireWriter, TState> writeBody,
        Func<WireValue, TResult> readReply,
        string context,
        CancellationToken cancellationToken,
        int sizeHint = 0,
        bool borrowBlobs = false) =>
        _transport.SendAsync(operation, state, writeBody, readReply, context, cancellationToken, sizeHint, borrowBlobs);

    private static bool NoReply(WireValue reply) => true;

    private static void WriteStream(IWireWriter writer, string? streamName, string? streamArn)
    {
        if (streamArn is not null)
        {
            writer.WritePropertyName("StreamARN");
            writer.WriteString(streamArn);
        }
        else
        {
            writer.WritePropertyName("StreamName");
            writer.WriteString(streamName!);
        }
    }

    private static string StreamContext(string? streamName, string? streamArn) =>
        "stream " + (streamName ?? streamArn);

    private static void RequireStream(string? streamName, string? streamArn, string paramName)
    {
        if (streamName is null && streamArn is null)
        {
            throw new ArgumentException("Give a stream name or a stream ARN.", paramName);
        }

        if (streamName is not null && streamArn is not null)
        {
            throw new ArgumentException("Give a stream name or a stream ARN, not both.", paramName);
        }

        if (streamName is not null)
        {
            Records.RecordValidation.ValidateStreamName(streamName, paramName);
        }
        else
        {
            ArgumentException.ThrowIfNullOrWhiteSpace(streamArn, paramName);
        }
    }
}
