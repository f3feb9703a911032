using System.Formats.Cbor;
using System.Net;
using System.Net.Http.Headers;
using Amazon.Runtime;
using Kinesis.Clients.Auth;
using Kinesis.Clients.Http;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>
/// Opens SubscribeToShard subscriptions: a SigV4-signed JSON-RPC POST over HTTP/2 (cleartext prior knowledge for
/// <c>http://</c> endpoints) whose response is an event stream. One instance serves every shard of a consumer;
/// each subscription is one HTTP/2 stream, and more connections open as the server's stream limit is reached.
/// </summary>
internal sealed class SubscribeToShardClient : IDisposable
{
    internal const string Operation = "SubscribeToShard";
    internal const string EventStreamContentType = "application/vnd.amazon.eventstream";

    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.1");
    private static readonly MediaTypeHeaderValue CborContentType = new("application/x-amz-cbor-1.1");
    private static readonly ProductInfoHeaderValue UserAgent = new("kinesis-clients-dotnet", "0.1");

    private readonly HttpClient _http;
    private readonly SigV4Signer _signer;

    /// <summary>Builds a client that signs like <paramref name="kinesis"/> (region, credentials, clock).</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public SubscribeToShardClient(KinesisClient kinesis, FanOutOptions options)
        : this(
            (options ?? throw new ArgumentNullException(nameof(options))).ServiceUrl ?? (kinesis ?? throw new ArgumentNullException(nameof(kinesis))).Endpoint,
            kinesis.Region,
            AwsCredentialsResolver.Resolve(kinesis.Options.Credentials),
            options.Protocol ?? kinesis.Protocol,
            options,
            kinesis.Options.TimeProvider)
    {
    }

    internal SubscribeToShardClient(
        Uri endpoint,
        string region,
        AWSCredentials credentials,
        WireProtocol protocol,
        FanOutOptions options,
        TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Endpoint = endpoint;
        Protocol = protocol;
        Options = options;
        TimeProvider = timeProvider;
        _signer = new SigV4Signer(credentials, region, "kinesis", timeProvider);
        _http = new HttpClient(new SocketsHttpHandler
        {
            // A connection carries as many subscriptions as the server allows concurrent streams; more shards open
            // more connections instead of queueing behind a full one.
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = options.ConnectTimeout,
            // Pings notice a dead connection sooner than the silence time-out when the shard is idle.
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        })
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    /// <summary>Where subscriptions are opened.</summary>
    public Uri Endpoint { get; }

    /// <summary>The request and event encoding.</summary>
    public WireProtocol Protocol { get; }

    /// <summary>The options the client was built with.</summary>
    public FanOutOptions Options { get; }

    /// <summary>The clock for signing, time-outs and waits.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>
    /// Subscribes <paramref name="consumerArn"/> to <paramref name="shardId"/> and returns once the response headers
    /// arrived; events are read from the returned subscription.
    /// </summary>
    /// <exception cref="AwsServiceException">
    /// The service refused (e.g. <see cref="ResourceInUseException"/> within 5 seconds of the last subscription,
    /// <see cref="ResourceNotFoundException"/>), or no usable answer arrived within <see cref="FanOutOptions.SilenceTimeout"/>.
    /// </exception>
    public async Task<ShardSubscription> SubscribeAsync(
        string consumerArn,
        string shardId,
        SubscribePosition position,
        CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerArn);
        ArgumentException.ThrowIfNullOrWhiteSpace(shardId);
        var context = $"shard {shardId}, consumer {consumerArn}, at {position}";
        var body = WriteBody(consumerArn, shardId, position);

        using var timeout = new CancellationTokenSource(Options.SilenceTimeout, TimeProvider);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Endpoint)
            {
                Version = HttpVersion.Version20,
                VersionPolicy = HttpVersionPolicy.RequestVersionExact,
                Content = new ByteArrayContent(body),
            };
            request.Content.Headers.ContentType = Protocol == WireProtocol.Cbor ? CborContentType : JsonContentType;
            request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{KinesisClient.TargetPrefix}.{Operation}");
            request.Headers.UserAgent.Add(UserAgent);
            await _signer.SignAsync(request, body, linked.Token).ConfigureAwait(false);
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own time-out, or the handler's connect time-out: either way no answer came.
            var after = timeout.IsCancellationRequested ? $" after {Options.SilenceTimeout.TotalSeconds:0.###} s" : string.Empty;
            throw FanOutErrors.Transport($"timed out{after} waiting for {Endpoint} to answer", context, ex);
        }
        catch (HttpRequestException ex)
        {
            throw FanOutErrors.Transport($"got no response from {Endpoint}: {ex.Message}", context, ex);
        }

        try
        {
            var requestId = Header(response, "x-amzn-RequestId") ?? Header(response, "x-amz-request-id");
            var contentType = response.Content.Headers.ContentType?.MediaType;
            if (!response.IsSuccessStatusCode || !string.Equals(contentType, EventStreamContentType, StringComparison.OrdinalIgnoreCase))
            {
                throw await RefusalAsync(response, requestId, contentType, context, timeout, cancellationToken, linked.Token).ConfigureAwait(false);
            }

            var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            return new ShardSubscription(response, stream, Protocol, requestId, context);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Closes the client's connections and every subscription still open on them.</summary>
    public void Dispose() => _http.Dispose();

    private byte[] WriteBody(string consumerArn, string shardId, SubscribePosition position)
    {
        using var buffer = new PooledBufferWriter(512);
        if (Protocol == WireProtocol.Json)
        {
            using var json = new JsonWireWriter(buffer);
            WriteRequest(json, consumerArn, shardId, position);
            json.Flush();
        }
        else
        {
            WriteRequest(new CborBufferWriter(buffer), consumerArn, shardId, position);
        }

        // The content must outlive the pooled buffer: HTTP/2 may still be sending it when the headers come back.
        return buffer.WrittenMemory.ToArray();
    }

    private static void WriteRequest(IWireWriter w, string consumerArn, string shardId, SubscribePosition position)
    {
        w.WriteStartObject(3);
        w.WritePropertyName("ConsumerARN");
        w.WriteString(consumerArn);
        w.WritePropertyName("ShardId");
        w.WriteString(shardId);
        w.WritePropertyName("StartingPosition");
        w.WriteStartObject(1 + (position.SequenceNumber is null ? 0 : 1) + (position.Timestamp is null ? 0 : 1));
        w.WritePropertyName("Type");
        w.WriteString(position.WireType);
        if (position.SequenceNumber is { } sequenceNumber)
        {
            w.WritePropertyName("SequenceNumber");
            w.WriteString(sequenceNumber);
        }

        if (position.Timestamp is { } timestamp)
        {
            w.WritePropertyName("Timestamp");
            w.WriteTimestamp(timestamp);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private async Task<AwsServiceException> RefusalAsync(
        HttpResponseMessage response,
        string? requestId,
        string? contentType,
        string context,
        CancellationTokenSource timeout,
        CancellationToken callerToken,
        CancellationToken token)
    {
        byte[] payload;
        try
        {
            payload = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!callerToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            return FanOutErrors.Transport($"timed out reading the HTTP {(int)response.StatusCode} answer from {Endpoint}", context, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return FanOutErrors.Transport($"lost the HTTP {(int)response.StatusCode} answer from {Endpoint}: {ex.Message}", context, ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            return AwsErrorParser.FromResponse(
                KinesisClient.ServiceName,
                Operation,
                response.StatusCode,
                requestId,
                Header(response, "x-amzn-ErrorType"),
                contentType,
                payload,
                context);
        }

        // A 200 that is not an event stream is no subscription; an engine without SubscribeToShard answers this way.
        var details = new AwsErrorDetails(KinesisClient.ServiceName, Operation, null, response.StatusCode, requestId, IsRetryable: false, IsThrottling: false);
        return new AwsServiceException(
            details,
            $"{KinesisClient.ServiceName} {Operation} answered HTTP {(int)response.StatusCode} with content type '{contentType}' ({payload.Length} bytes), not an event stream ({context})");
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
