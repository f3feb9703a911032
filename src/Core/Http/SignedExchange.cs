using Kinesis.Clients.Auth;

namespace Kinesis.Clients.Http;

/// <summary>
/// One signed request and its whole reply within a time-out, as every AWS transport here sends them: a reply
/// that never comes (reset, refused, time-out) becomes a retryable <see cref="AwsServiceException"/>; the
/// caller's own cancellation stays an <see cref="OperationCanceledException"/>.
/// </summary>
internal static class SignedExchange
{
    /// <returns>The response (the caller disposes it) and its body.</returns>
    public static async Task<(HttpResponseMessage Response, byte[] Payload)> SendAsync(
        HttpClient http,
        SigV4Signer signer,
        HttpRequestMessage request,
        IReadOnlyList<ReadOnlyMemory<byte>> body,
        string service,
        string operation,
        TimeSpan requestTimeout,
        TimeProvider time,
        string context,
        CancellationToken cancellationToken)
    {
        var endpoint = request.RequestUri!;
        using var timeout = new CancellationTokenSource(requestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeout.Token);
        HttpResponseMessage response;
        try
        {
            await signer.SignSegmentsAsync(request, body, linked.Token).ConfigureAwait(false);
            response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            throw TransportFailures.TimedOut(service, operation, requestTimeout, endpoint, context, ex);
        }
        catch (HttpRequestException ex)
        {
            throw TransportFailures.NoResponse(service, operation, endpoint, context, ex);
        }

        try
        {
            return (response, await response.Content.ReadAsByteArrayAsync(linked.Token).ConfigureAwait(false));
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            response.Dispose();
            throw TransportFailures.TimedOut(service, operation, requestTimeout, endpoint, context, ex);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            response.Dispose();
            throw TransportFailures.NoResponse(service, operation, endpoint, context, ex);
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
