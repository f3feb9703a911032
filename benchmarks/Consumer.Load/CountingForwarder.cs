using System.Collections.Concurrent;
using Kinesis.Clients.Testing;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>
/// A loopback HTTP forwarder that counts requests by their <c>X-Amz-Target</c> (the DynamoDB operation). The
/// consumer builds its own DynamoDB client from an endpoint, so counting happens in front of the engine.
/// </summary>
internal sealed class CountingForwarder : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Expect" };
    private readonly LoopbackHost _host;
    private readonly HttpClient _client;
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    private CountingForwarder(LoopbackHost host, HttpClient client)
    {
        _host = host;
        _client = client;
        Endpoint = host.Endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>Requests so far, by operation.</summary>
    public IReadOnlyDictionary<string, long> Counts => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    public static async Task<CountingForwarder> StartAsync(Uri target)
    {
        var client = new HttpClient { BaseAddress = target };
        CountingForwarder? forwarder = null;
        var host = await LoopbackHost.StartAsync(context => forwarder!.ForwardAsync(context));
        forwarder = new CountingForwarder(host, client);
        return forwarder;
    }

    private async Task ForwardAsync(HttpContext context)
    {
        var request = context.Request;
        var operation = request.Headers["X-Amz-Target"].ToString() is { Length: > 0 } target ? target[(target.IndexOf('.', StringComparison.Ordinal) + 1)..] : request.Method;
        _counts.AddOrUpdate(operation, 1, (_, n) => n + 1);

        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, context.RequestAborted);
        using var forward = new HttpRequestMessage(new HttpMethod(request.Method), request.Path + request.QueryString)
        {
            Content = new ByteArrayContent(body.ToArray()),
        };
        foreach (var (name, values) in request.Headers)
        {
            if (HopHeaders.Contains(name) || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (!forward.Headers.TryAddWithoutValidation(name, values.ToArray()))
            {
                forward.Content.Headers.TryAddWithoutValidation(name, values.ToArray());
            }
        }

        using var reply = await _client.SendAsync(forward, context.RequestAborted);
        context.Response.StatusCode = (int)reply.StatusCode;
        foreach (var (name, values) in reply.Headers.Concat(reply.Content.Headers))
        {
            if (!HopHeaders.Contains(name))
            {
                context.Response.Headers[name] = values.ToArray();
            }
        }

        await reply.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _client.Dispose();
    }
}
