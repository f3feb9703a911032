using Kinesis.Clients.Buffers;
using Kinesis.Clients.Wire;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>One request received by the proxy: its operation, encoding and body in a pooled buffer.</summary>
internal sealed class ProxyExchange : IDisposable
{
    private const int ReadChunk = 64 * 1024;

    private ProxyExchange(HttpContext context, string operation, WireProtocol protocol, PooledBufferWriter body)
    {
        Context = context;
        Operation = operation;
        Protocol = protocol;
        Body = body;
    }

    public HttpContext Context { get; }

    /// <summary>The operation named by <c>X-Amz-Target</c> (after the dot), or empty when there is none.</summary>
    public string Operation { get; }

    /// <summary>The request's encoding, which every reply the proxy makes up must use too.</summary>
    public WireProtocol Protocol { get; }

    public PooledBufferWriter Body { get; }

    public CancellationToken Aborted => Context.RequestAborted;

    /// <summary>The request id for a reply the proxy writes: the backend's, when the reply merges one of its replies.</summary>
    public string? ReplyRequestId { get; set; }

    public static async Task<ProxyExchange> ReadAsync(HttpContext context)
    {
        var request = context.Request;
        var target = request.Headers["X-Amz-Target"].ToString();
        var dot = target.LastIndexOf('.');
        var operation = dot >= 0 ? target[(dot + 1)..] : target;
        var protocol = request.ContentType is { } type && type.Contains("cbor", StringComparison.OrdinalIgnoreCase)
            ? WireProtocol.Cbor
            : WireProtocol.Json;

        var length = request.ContentLength;
        var body = new PooledBufferWriter((int)Math.Clamp(length ?? 0, 256, int.MaxValue));
        try
        {
            // With a Content-Length the buffer is rented at full size once; without one it grows by chunks.
            while (length is null || body.WrittenCount < length)
            {
                var want = length is { } total ? (int)Math.Min(total - body.WrittenCount, ReadChunk) : ReadChunk;
                var read = await request.Body.ReadAsync(body.GetMemory(want), context.RequestAborted).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                body.Advance(read);
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }

        return new ProxyExchange(context, operation, protocol, body);
    }

    /// <summary>The decoded body, or <see langword="null"/> when it is not valid in its encoding.</summary>
    public WireValue? TryReadBody() => WireTree.TryRead(Protocol, Body.WrittenMemory);

    public void Dispose() => Body.Dispose();
}
