using System.Net.Http.Headers;
using Kinesis.Clients.Auth;

namespace Kinesis.Clients.Http;

/// <summary>
/// Sends AWS query-protocol calls (a form-encoded POST to <c>/</c>, the action named in the body), signed with
/// SigV4, with a per-request time-out, and maps every failure to an <see cref="AwsServiceException"/>, as
/// <see cref="AwsRpcTransport"/> does for JSON-RPC.
/// </summary>
internal sealed class AwsQueryTransport : IDisposable
{
    private static readonly MediaTypeHeaderValue FormContentType = new("application/x-www-form-urlencoded") { CharSet = "utf-8" };

    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly SigV4Signer _signer;
    private readonly TimeProvider _time;

    public AwsQueryTransport(
        string serviceName,
        Uri endpoint,
        SigV4Signer signer,
        TimeSpan requestTimeout,
        HttpClient http,
        bool ownsHttp,
        TimeProvider timeProvider)
    {
        ServiceName = serviceName;
        Endpoint = endpoint;
        RequestTimeout = requestTimeout;
        _signer = signer;
        _http = http;
        _ownsHttp = ownsHttp;
        _time = timeProvider;
    }

    public string ServiceName { get; }

    public Uri Endpoint { get; }

    public TimeSpan RequestTimeout { get; }

    /// <summary>Sends one form-encoded call; returns normally on a 2xx reply.</summary>
    /// <param name="operation">The action, e.g. <c>PutMetricData</c>, for error messages (the body names it too).</param>
    /// <param name="body">The form-encoded body.</param>
    /// <param name="context">Appended to error messages (e.g. the namespace) to diagnose from one line.</param>
    /// <param name="cancellationToken">Cancels the call; reported as <see cref="OperationCanceledException"/>.</param>
    public async Task SendAsync(string operation, byte[] body, string context, CancellationToken cancellationToken)
    {
        using var request = CreateRequest(body);
        var (response, payload) = await SignedExchange.SendAsync(
            _http, _signer, request, [body], ServiceName, operation, RequestTimeout, _time, context, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (!response.IsSuccessStatusCode)
            {
                throw AwsQueryErrorParser.FromResponse(
                    ServiceName, operation, response.StatusCode, TransportFailures.RequestId(response), payload, context);
            }
        }
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private HttpRequestMessage CreateRequest(byte[] body)
    {
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = FormContentType;
        var request = new HttpRequestMessage(HttpMethod.Post, Endpoint) { Content = content };
        request.Headers.UserAgent.Add(RequestBodies.UserAgent);
        return request;
    }
}
