using System.Net;
using System.Security.Cryptography.X509Certificates;
using Kinesis.Clients.Auth;
using Kinesis.Clients.Buffers;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Http;

/// <summary>
/// Opens AWS JSON-RPC calls whose answer is an event stream (SubscribeToShard): a SigV4-signed POST over HTTP/2
/// (over TLS with ALPN <c>h2</c> for <c>https://</c> endpoints, cleartext prior knowledge for <c>http://</c> ones) that returns once the response headers arrived, leaving
/// the body to be read as it comes. A refusal (HTTP error, a 200 that is not an event stream) and a missing answer
/// become <see cref="AwsServiceException"/>s, as <see cref="AwsRpcTransport"/> reports them.
/// </summary>
/// <remarks>
/// Its own connection pool, apart from the request/response calls': each open call holds an HTTP/2 stream for
/// minutes, and more connections open as the server's stream limit is reached instead of queueing behind a full one.
/// </remarks>
internal sealed class EventStreamTransport : IDisposable
{
    /// <summary>The media type of an event-stream response.</summary>
    public const string EventStreamContentType = "application/vnd.amazon.eventstream";

    private readonly HttpClient _http;
    private readonly SigV4Signer _signer;
    private readonly TimeProvider _time;

    public EventStreamTransport(
        string serviceName,
        string targetPrefix,
        Uri endpoint,
        SigV4Signer signer,
        WireProtocol protocol,
        TimeSpan answerTimeout,
        TimeSpan connectTimeout,
        X509Certificate2Collection? trustedCertificates,
        TimeProvider timeProvider)
    {
        ServiceName = serviceName;
        TargetPrefix = targetPrefix;
        Endpoint = endpoint;
        Protocol = protocol;
        AnswerTimeout = answerTimeout;
        _signer = signer;
        _time = timeProvider;
        var handler = new SocketsHttpHandler
        {
            EnableMultipleHttp2Connections = true,
            ConnectTimeout = connectTimeout,

            // Pings notice a dead connection sooner than a caller's silence time-out when the stream is idle.
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(20),
            KeepAlivePingPolicy = HttpKeepAlivePingPolicy.WithActiveRequests,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.None,
        };

        // TLS versions are left to the system (1.2 and 1.3 today; the service accepts nothing older). An exact HTTP/2
        // request offers only "h2" in ALPN, so a server that cannot speak HTTP/2 fails the call instead of downgrading.
        EndpointTrust.Apply(handler, trustedCertificates);
        _http = new HttpClient(handler)
        {
            Timeout = Timeout.InfiniteTimeSpan,
            DefaultRequestVersion = HttpVersion.Version20,
            DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
    }

    public string ServiceName { get; }

    public string TargetPrefix { get; }

    public Uri Endpoint { get; }

    public WireProtocol Protocol { get; }

    /// <summary>How long the response headers may take to arrive.</summary>
    public TimeSpan AnswerTimeout { get; }

    /// <summary>Sends one call and returns its accepted response (the caller disposes it) and the body stream.</summary>
    /// <param name="operation">The operation name, e.g. <c>SubscribeToShard</c>.</param>
    /// <param name="state">Passed to <paramref name="writeBody"/>.</param>
    /// <param name="writeBody">Writes the request object.</param>
    /// <param name="context">Appended to error messages (e.g. the shard) to diagnose from one line.</param>
    /// <param name="cancellationToken">Cancels the call; reported as <see cref="OperationCanceledException"/>.</param>
    public async Task<(HttpResponseMessage Response, Stream Body)> OpenAsync<TState>(
        string operation,
        TState state,
        Action<IWireWriter, TState> writeBody,
        string context,
        CancellationToken cancellationToken)
    {
        // The content must outlive a pooled buffer: HTTP/2 may still be sending it when the headers come back.
        byte[] body;
        using (var buffer = new PooledBufferWriter(512))
        {
            RequestBodies.Write(Protocol, state, writeBody, buffer);
            body = buffer.WrittenSpan.ToArray();
        }

        using var timeout = new CancellationTokenSource(AnswerTimeout, _time);
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
            request.Content.Headers.ContentType = RequestBodies.ContentType(Protocol);
            request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{TargetPrefix}.{operation}");
            request.Headers.UserAgent.Add(RequestBodies.UserAgent);
            await _signer.SignAsync(request, body, linked.Token).ConfigureAwait(false);
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Our own time-out, or the handler's connect time-out: either way no answer came.
            throw TransportFailures.TimedOut(ServiceName, operation, timeout.IsCancellationRequested ? AnswerTimeout : null, Endpoint, context, ex);
        }
        catch (HttpRequestException ex)
        {
            throw TransportFailures.NoResponse(ServiceName, operation, Endpoint, context, ex);
        }

        try
        {
            var contentType = response.Content.Headers.ContentType?.MediaType;
            if (!response.IsSuccessStatusCode || !string.Equals(contentType, EventStreamContentType, StringComparison.OrdinalIgnoreCase))
            {
                throw await RefusalAsync(operation, response, contentType, context, timeout, cancellationToken, linked.Token).ConfigureAwait(false);
            }

            return (response, await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false));
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>Closes the connections and every call still open on them.</summary>
    public void Dispose() => _http.Dispose();

    private async Task<AwsServiceException> RefusalAsync(
        string operation,
        HttpResponseMessage response,
        string? contentType,
        string context,
        CancellationTokenSource timeout,
        CancellationToken callerToken,
        CancellationToken token)
    {
        var requestId = TransportFailures.RequestId(response);
        byte[] payload;
        try
        {
            payload = await response.Content.ReadAsByteArrayAsync(token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!callerToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            return TransportFailures.Failed(
                ServiceName, operation, $"timed out reading the HTTP {(int)response.StatusCode} answer from {Endpoint}", context, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            return TransportFailures.Failed(
                ServiceName, operation, $"lost the HTTP {(int)response.StatusCode} answer from {Endpoint}: {ex.Message}", context, ex);
        }

        if (!response.IsSuccessStatusCode)
        {
            return AwsErrorParser.FromResponse(
                ServiceName,
                operation,
                response.StatusCode,
                requestId,
                TransportFailures.Header(response, "x-amzn-ErrorType"),
                contentType,
                payload,
                context);
        }

        // A 200 that is not an event stream is no subscription; an engine without the operation answers this way.
        var details = new AwsErrorDetails(ServiceName, operation, null, response.StatusCode, requestId, IsRetryable: false, IsThrottling: false);
        return new AwsServiceException(
            details,
            $"{ServiceName} {operation} answered HTTP {(int)response.StatusCode} with content type '{contentType}' ({payload.Length} bytes), not an event stream ({context})");
    }
}
