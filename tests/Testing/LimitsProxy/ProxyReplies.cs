using System.Globalization;
using Kinesis.Clients.Buffers;
using Kinesis.Clients.Wire;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>Writes replies in the request's encoding, as the service would: bodies, AWS errors, relayed replies.</summary>
internal static class ProxyReplies
{
    public const string CborContentType = "application/x-amz-cbor-1.1";
    public const string JsonContentType = "application/x-amz-json-1.1";
    public const string ThroughputExceeded = "ProvisionedThroughputExceededException";

    public static Task WriteAsync<TState>(ProxyExchange exchange, int status, TState state, Action<IWireWriter, TState> write)
    {
        var body = new PooledBufferWriter();
        try
        {
            WireEncoder.Encode(exchange.Protocol, body, state, write);
        }
        catch
        {
            body.Dispose();
            throw;
        }

        return SendAsync(exchange.Context, status, ContentType(exchange.Protocol), exchange.ReplyRequestId ?? NewRequestId(), body);
    }

    public static Task ErrorAsync(ProxyExchange exchange, int status, string errorCode, string message) =>
        WriteAsync(exchange, status, (errorCode, message), static (w, e) =>
        {
            w.WriteStartObject(2);
            w.WritePropertyName("__type");
            w.WriteString(e.errorCode);
            w.WritePropertyName("message");
            w.WriteString(e.message);
            w.WriteEndObject();
        });

    public static Task ThrottledAsync(ProxyExchange exchange, ShardState shard) =>
        ErrorAsync(exchange, StatusCodes.Status400BadRequest, ThroughputExceeded, shard.ThrottledMessage);

    /// <summary>Passes a backend reply on: status, Content-Type, request id, error type and body.</summary>
    public static async Task RelayAsync(HttpContext context, BackendReply reply)
    {
        var response = context.Response;
        response.StatusCode = reply.StatusCode;
        if (reply.ContentType is not null)
        {
            response.ContentType = reply.ContentType;
        }

        foreach (var (name, value) in reply.Headers)
        {
            response.Headers[name] = value;
        }

        response.ContentLength = reply.Body.Length;
        await response.Body.WriteAsync(reply.Body, context.RequestAborted).ConfigureAwait(false);
    }

    public static string ContentType(WireProtocol protocol) =>
        protocol == WireProtocol.Cbor ? CborContentType : JsonContentType;

    public static string NewRequestId() => Guid.NewGuid().ToString("D", CultureInfo.InvariantCulture);

    private static async Task SendAsync(HttpContext context, int status, string contentType, string requestId, PooledBufferWriter body)
    {
        using (body)
        {
            var response = context.Response;
            response.StatusCode = status;
            response.ContentType = contentType;
            response.Headers["x-amzn-RequestId"] = requestId;
            response.ContentLength = body.WrittenCount;
            await response.Body.WriteAsync(body.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
        }
    }
}
