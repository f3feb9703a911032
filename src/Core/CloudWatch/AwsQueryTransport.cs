using Kinesis.Clients.Http;
using System.Net.Http.Headers;
using Kinesis.Clients.Auth;

namespace Kinesis.Clients.CloudWatch;

/// <summary>
/// Sends AWS query-protocol calls (a form-encoded POST to <c>/</c>, the action named in the body), signed with
/// SigV4, with a per-request time-out, and maps every failure to an <see cref="AwsServiceException"/>, as
/// <see cref="Http.AwsRpcTransport"/> does for JSON-RPC.
/// </summary>
internal sealed class AwsQueryTransport : IDisposable
{
    private static readonly MediaTypeHeaderValue FormContentType = new("application/x-www-form-urlencoded") { CharSet = "utf-8" };
    private static readonly ProductInfoHeaderValue UserAgent = new("kinesis-clients-dotnet", "0.1");

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
        using var timeout = new CancellationTokenSource(RequestTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        try
        {
            using var request = CreateRequest(body);
            await _signer.SignAsync(request, body, linked.Token).ConfigureAwait(false);
            response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token)
                .ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            throw TransportFailures.TimedOut(ServiceName, operation, RequestTimeout, Endpoint, context, ex);
        }
        catch (HttpRequestException ex)
        {
            throw TransportFailures.NoResponse(ServiceName, operation, Endpoint, context, ex);
        }

        using (response)
        {
            byte[] payload;
            try
            {
                payload = await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
            {
                throw TransportFailures.TimedOut(ServiceName, operation, RequestTimeout, Endpoint, context, ex);
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException)
            {
                throw TransportFailures.NoResponse(ServiceName, operation, Endpoint, context, ex);
            }

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
        request.Headers.UserAgent.Add(UserAgent);
        return request;
    }
}
