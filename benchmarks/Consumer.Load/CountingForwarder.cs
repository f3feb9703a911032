using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>
/// A loopback HTTP forwarder that counts requests by their <c>X-Amz-Target</c> (the DynamoDB operation). The
/// consumer builds its own DynamoDB client from an endpoint, so counting happens in front of the engine.
/// </summary>
internal sealed class CountingForwarder : IAsyncDisposable
{
    private static readonly HashSet<string> HopHeaders = new(StringComparer.OrdinalIgnoreCase) { "Host", "Connection", "Transfer-Encoding", "Keep-Alive", "Expect" };
    private readonly WebApplication _app;
    private readonly HttpClient _client;
    private readonly ConcurrentDictionary<string, long> _counts = new(StringComparer.Ordinal);

    private CountingForwarder(WebApplication app, HttpClient client, Uri endpoint)
    {
        _app = app;
        _client = client;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>Requests so far, by operation.</summary>
    public IReadOnlyDictionary<string, long> Counts => new Dictionary<string, long>(_counts, StringComparer.Ordinal);

    public static async Task<CountingForwarder> StartAsync(Uri target)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var client = new HttpClient { BaseAddress = target };
        CountingForwarder? forwarder = null;
        app.Run(context => forwarder!.ForwardAsync(context));
        await app.StartAsync();
        forwarder = new CountingForwarder(app, client, new Uri(app.Urls.First()));
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
        await _app.StopAsync();
        await _app.DisposeAsync();
        _client.Dispose();
    }
}
