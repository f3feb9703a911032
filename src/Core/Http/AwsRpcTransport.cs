using Kinesis.Clients.Auth;
using Kinesis.Clients.Buffers;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Http;

/// <summary>
/// Sends AWS JSON-RPC style calls (<c>X-Amz-Target</c> header, POST to <c>/</c>) in JSON 1.1 or
/// CBOR 1.1, signed with SigV4, with a per-request time-out, and maps every failure to an
/// <see cref="AwsServiceException"/>.
/// </summary>
internal sealed class AwsRpcTransport : IDisposable
{
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SigV4Signer _signer;
    private readonly TimeProvider _time;

    public AwsRpcTransport(
        string serviceName,
        string targetPrefix,
        Uri endpoint,
        SigV4Signer signer,
        WireProtocol protocol,
        TimeSpan requestTimeout,
        HttpClient http,
        bool ownsHttp,
        TimeProvider timeProvider)
    {
        ServiceName = serviceName;
        TargetPrefix = targetPrefix;
        Endpoint = endpoint;
        Protocol = protocol;
        RequestTimeout = requestTimeout;
        _signer = signer;
        _http = http;
        _ownsHttp = ownsHttp;
        _time = timeProvider;
    }

    public string ServiceName { get; }

    public string TargetPrefix { get; }

    public Uri Endpoint { get; }

    public WireProtocol Protocol { get; }

    public TimeSpan RequestTimeout { get; }

    /// <summary>Sends one call and returns what <paramref name="readReply"/> makes of the reply body.</summary>
    /// <param name="operation">The operation name, e.g. <c>PutRecords</c>.</param>
    /// <param name="state">Passed to <paramref name="writeBody"/>.</param>
    /// <param name="writeBody">Writes the request object.</param>
    /// <param name="context">Appended to error messages (e.g. the stream name) to diagnose from one line.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <param name="readReply">Reads the decoded reply; a reply of the wrong shape becomes an <see cref="AwsServiceException"/>.</param>
    /// <param name="sizeHint">The expected body size, to rent the buffer once; 0 when unknown.</param>
    /// <param name="borrowBlobs">
    /// Whether blobs of a CBOR body are sent from where they lie rather than copied into it (see
    /// <see cref="GatherBufferWriter"/>): the caller keeps them unchanged until this completes. <paramref name="sizeHint"/> is
    /// then the size of the body without the blobs.
    /// </param>
    public async Task<TResult> SendAsync<TState, TResult>(
        string operation,
        TState state,
        Action<IWireWriter, TState> writeBody,
        Func<WireValue, TResult> readReply,
        string context,
        CancellationToken cancellationToken,
        int sizeHint = 0,
        bool borrowBlobs = false)
    {
        if (borrowBlobs && Protocol == WireProtocol.Cbor)
        {
            // A PutRecords body of aggregates: its CBOR around them, the aggregates sent from their own arrays. A copy
            // of every byte in flight (up to 5 MiB per request, in power-of-two pooled arrays) was a third of the
            // agent's memory per buffered byte.
            using var gathered = new GatherBufferWriter(sizeHint > 0 ? sizeHint : 4096, RequestBodies.Pool);
            writeBody(new CborBufferWriter(gathered), state);
            var segments = gathered.Segments();
            using var gatheredRequest = CreateRequest(operation, new GatheredContent(segments));
            return await ExchangeAsync(operation, gatheredRequest, segments, readReply, context, cancellationToken).ConfigureAwait(false);
        }

        // Sized up front from the caller's estimate, so a 5 MiB PutRecords body is one pooled array, not a doubling series.
        using var body = new PooledBufferWriter(sizeHint > 0 ? sizeHint : 4096, RequestBodies.Pool);
        RequestBodies.Write(Protocol, state, writeBody, body);
        var segment = body.WrittenSegment;
        using var request = CreateRequest(operation, new ByteArrayContent(segment.Array!, segment.Offset, segment.Count));
        return await ExchangeAsync(operation, request, [body.WrittenMemory], readReply, context, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<TResult> ExchangeAsync<TResult>(
        string operation,
        HttpRequestMessage request,
        IReadOnlyList<ReadOnlyMemory<byte>> body,
        Func<WireValue, TResult> readReply,
        string context,
        CancellationToken cancellationToken)
    {
        var (response, payload) = await SignedExchange.SendAsync(
            _http, _signer, request, body, ServiceName, operation, RequestTimeout, _time, context, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var contentType = response.Content.Headers.ContentType?.MediaType;
            if (!response.IsSuccessStatusCode)
            {
                throw AwsErrorParser.FromResponse(
                    ServiceName,
                    operation,
                    response.StatusCode,
                    TransportFailures.RequestId(response),
                    TransportFailures.Header(response, "x-amzn-ErrorType"),
                    contentType,
                    payload,
                    context);
            }

            try
            {
                var reply = IsCbor(contentType) ? CborWireReader.Read(payload) : JsonWireReader.Read(payload);
                return readReply(reply);
            }
            catch (Exception ex) when (ex is WireFormatException or FormatException or OverflowException or InvalidCastException)
            {
                var details = new AwsErrorDetails(ServiceName, operation, null, response.StatusCode, TransportFailures.RequestId(response), false, false);
                throw new AwsServiceException(
                    details,
                    $"{ServiceName} {operation} returned HTTP {(int)response.StatusCode} with a body that could not be read: {ex.Message} ({context})",
                    ex);
            }
        }
    }

    private bool IsCbor(string? contentType) =>
        contentType is null ? Protocol == WireProtocol.Cbor : contentType.Contains("cbor", StringComparison.OrdinalIgnoreCase);

    private HttpRequestMessage CreateRequest(string operation, HttpContent content)
    {
        content.Headers.ContentType = RequestBodies.ContentType(Protocol);
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = content };
        request.Headers.TryAddWithoutValidation("X-Amz-Target", $"{TargetPrefix}.{operation}");
        request.Headers.UserAgent.Add(RequestBodies.UserAgent);
        return request;
    }
}
