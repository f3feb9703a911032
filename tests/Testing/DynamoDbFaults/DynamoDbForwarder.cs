using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>Sends a request on to the backend as it came and relays its reply as it went (status, headers, body).</summary>
internal sealed class DynamoDbForwarder : IDisposable
{
    // Hop-by-hop headers, and those HttpClient or Kestrel set themselves from the message.
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
        "Expect", "Proxy-Connection", "Proxy-Authorization", "Date", "Server",
    };

    private readonly HttpClient _http;
    private readonly Uri _backend;

    public DynamoDbForwarder(Uri backend)
    {
        _backend = backend;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
    }

    /// <summary>Forwards the request; the backend's reply, read whole.</summary>
    public async Task<Reply> ForwardAsync(HttpRequest incoming, byte[] body, CancellationToken cancellationToken)
    {
        var path = incoming.Path.HasValue ? incoming.Path.Value! : "/";
        using var message = new HttpRequestMessage(new HttpMethod(incoming.Method), new Uri(_backend, path + incoming.QueryString.Value))
        {
            Content = new ByteArrayContent(body),
        };
        ForwardedHeaders.Copy(incoming.Headers, message, Skipped);

        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var replyBody = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headers = response.Headers.Concat(response.Content.Headers)
            .Where(h => !Skipped.Contains(h.Key))
            .Select(h => (h.Key, string.Join(',', h.Value)))
            .ToList();
        return new Reply((int)response.StatusCode, headers, replyBody);
    }

    /// <summary>Writes a relayed reply to the caller.</summary>
    public static async Task RelayAsync(HttpContext context, Reply reply)
    {
        var response = context.Response;
        response.StatusCode = reply.StatusCode;
        foreach (var (name, value) in reply.Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentLength = reply.Body.Length;
        await response.Body.WriteAsync(reply.Body, context.RequestAborted).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    internal sealed record Reply(int StatusCode, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body);
}
