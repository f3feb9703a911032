namespace Kinesis.Clients.Http;

/// <summary>
/// The failures every AWS transport here reports the same way: no response (reset, refused, time-out),
/// request ids from headers, and short printable snippets of bodies that are not AWS errors.
/// </summary>
internal static class TransportFailures
{
    private const int SnippetLength = 160;

    /// <summary>No answer in time; <paramref name="timeout"/> is <see langword="null"/> when the connect time-out, not ours, ran out.</summary>
    public static AwsServiceException TimedOut(string service, string operation, TimeSpan? timeout, Uri endpoint, string context, Exception inner)
    {
        var after = timeout is { } t ? $" after {t.TotalSeconds:0.###} s" : string.Empty;
        return Failed(service, operation, $"timed out{after} waiting for {endpoint}", context, inner);
    }

    public static AwsServiceException NoResponse(string service, string operation, Uri endpoint, string context, Exception inner) =>
        Failed(service, operation, $"got no response from {endpoint}: {Cause(inner)}", context, inner);

    // HttpClient words a failed TLS handshake "see inner exception"; the inner one says what was wrong (an untrusted
    // certificate, no common protocol), which is what a user behind a TLS-inspecting proxy needs to read.
    private static string Cause(Exception inner) =>
        inner is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError, InnerException: { } tls }
            ? $"{inner.Message} {tls.GetType().Name}: {tls.Message}"
            : inner.Message;

    /// <summary>
    /// A call that got no usable answer (reset, refused, time-out, a stream broken off): retryable, without status or
    /// error code, worded <c>{service} {operation} {what} ({context})</c>.
    /// </summary>
    public static AwsServiceException Failed(string service, string operation, string what, string context, Exception? inner = null)
    {
        var details = new AwsErrorDetails(service, operation, null, null, null, IsRetryable: true, IsThrottling: false);
        return new AwsServiceException(details, $"{service} {operation} {what} ({context})", inner);
    }

    public static string? RequestId(HttpResponseMessage response) =>
        Header(response, "x-amzn-RequestId") ?? Header(response, "x-amz-request-id");

    public static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;

    /// <summary>The start of a body as one printable line, for error messages.</summary>
    public static string Snippet(ReadOnlySpan<byte> body)
    {
        var length = Math.Min(body.Length, SnippetLength);
        var text = System.Text.Encoding.UTF8.GetString(body[..length]);
        var builder = new System.Text.StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsControl(c) ? ' ' : c);
        }

        if (body.Length > SnippetLength)
        {
            builder.Append("...");
        }

        return builder.ToString().Trim();
    }
}
