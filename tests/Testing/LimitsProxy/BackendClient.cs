using System.Globalization;
using System.Net.Http.Headers;
using Kinesis.Clients.Buffers;
using Kinesis.Clients.Wire;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>Sends requests on to the backend engine over one pooled connection set.</summary>
internal sealed class BackendClient : IDisposable
{
    private static readonly string[] RelayedHeaders = ["x-amzn-RequestId", "x-amz-id-2", "x-amzn-ErrorType"];

    // Hop-by-hop headers and those HttpClient sets itself from the message.
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase)
    {
        "Host", "Content-Length", "Connection", "Keep-Alive", "Transfer-Encoding", "TE", "Trailer", "Upgrade",
        "Expect", "Proxy-Connection", "Proxy-Authorization",
    };

    private static readonly string[] SigningHeaders = ["Authorization", "X-Amz-Date", "X-Amz-Security-Token"];

    private readonly HttpClient _http;
    private readonly Uri _backend;
    private readonly string _region;

    public BackendClient(Uri backend, int maxConnections, string region)
    {
        _backend = backend;
        _region = region;
        _http = new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            MaxConnectionsPerServer = maxConnections,
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            AutomaticDecompression = System.Net.DecompressionMethods.None,
            ConnectTimeout = TimeSpan.FromSeconds(10),
        })
        {
            Timeout = TimeSpan.FromMinutes(2),
        };
    }

    /// <summary>Forwards a request with its headers and <paramref name="body"/> (its own, or a rewritten one).</summary>
    public async Task<BackendReply> ForwardAsync(ProxyExchange exchange, PooledBufferWriter body)
    {
        var incoming = exchange.Context.Request;
        var segment = body.WrittenSegment;
        using var message = new HttpRequestMessage(new HttpMethod(incoming.Method), Target(incoming))
        {
            Content = new ByteArrayContent(segment.Array!, segment.Offset, segment.Count),
        };
        ForwardedHeaders.Copy(incoming.Headers, message, Skipped);

        return await SendAsync(message, exchange.Aborted).ConfigureAwait(false);
    }

    /// <summary>
    /// Makes the proxy's own JSON call to the backend (ListShards for the shard map), signed by copying the
    /// triggering request's signature headers: the engine checks only their shape, and the copy keeps the
    /// region, which decides where the engine looks for the stream.
    /// </summary>
    public async Task<BackendReply> CallAsync<TState>(
        string operation,
        TState state,
        Action<IWireWriter, TState> writeBody,
        HttpRequest? signedLike,
        CancellationToken cancellationToken)
    {
        using var body = new PooledBufferWriter();
        using (var json = new JsonWireWriter(body))
        {
            writeBody(json, state);
            json.Flush();
        }

        var segment = body.WrittenSegment;
        using var message = new HttpRequestMessage(HttpMethod.Post, _backend)
        {
            Content = new ByteArrayContent(segment.Array!, segment.Offset, segment.Count),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue(ProxyReplies.JsonContentType);
        message.Headers.TryAddWithoutValidation("X-Amz-Target", "Kinesis_20131202." + operation);
        if (signedLike is not null && signedLike.Headers.ContainsKey("Authorization"))
        {
            foreach (var name in SigningHeaders)
            {
                if (signedLike.Headers.TryGetValue(name, out var value))
                {
                    message.Headers.TryAddWithoutValidation(name, value.ToString());
                }
            }
        }
        else
        {
            var now = DateTimeOffset.UtcNow;
            message.Headers.TryAddWithoutValidation("X-Amz-Date", now.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture));
            message.Headers.TryAddWithoutValidation(
                "Authorization",
                $"AWS4-HMAC-SHA256 Credential=AKIDLIMITSPROXY/{now:yyyyMMdd}/{_region}/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=00");
        }

        return await SendAsync(message, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _http.Dispose();

    private Uri Target(HttpRequest incoming)
    {
        var path = incoming.Path.HasValue ? incoming.Path.Value! : "/";
        return new Uri(_backend, path + incoming.QueryString.Value);
    }

    private async Task<BackendReply> SendAsync(HttpRequestMessage message, CancellationToken cancellationToken)
    {
        using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, cancellationToken)
            .ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var headers = new List<(string, string)>(RelayedHeaders.Length);
        foreach (var name in RelayedHeaders)
        {
            if (response.Headers.TryGetValues(name, out var values))
            {
                headers.Add((name, string.Join(',', values)));
            }
        }

        return new BackendReply((int)response.StatusCode, response.Content.Headers.ContentType?.ToString(), headers, body);
    }
}
