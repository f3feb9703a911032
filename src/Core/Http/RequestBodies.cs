using System.Buffers;
using System.Net.Http.Headers;
using Kinesis.Clients.Buffers;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Http;

/// <summary>What every transport here puts on a request: the encoded body, its content type, the user agent.</summary>
internal static class RequestBodies
{
    private static readonly MediaTypeHeaderValue JsonContentType = new("application/x-amz-json-1.1");
    private static readonly MediaTypeHeaderValue CborContentType = new("application/x-amz-cbor-1.1");

    /// <summary>The <c>User-Agent</c> product of this suite.</summary>
    public static ProductInfoHeaderValue UserAgent { get; } = new("kinesis-clients-dotnet", "0.1");

    /// <summary>
    /// Arrays for request bodies. The shared pool keeps only a few arrays of each large size, so a producer with
    /// several multi-megabyte PutRecords in flight dropped most of them as garbage on the large object heap, freed
    /// only by a full collection; this pool keeps as many as were in flight at once (bounded by the producer's buffer).
    /// </summary>
    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(16 * 1024 * 1024, 32);

    /// <summary>The content type of a JSON-RPC body in <paramref name="protocol"/>.</summary>
    public static MediaTypeHeaderValue ContentType(WireProtocol protocol) =>
        protocol == WireProtocol.Cbor ? CborContentType : JsonContentType;

    /// <summary>Writes the request object <paramref name="writeBody"/> produces into <paramref name="body"/>, in <paramref name="protocol"/>.</summary>
    public static void Write<TState>(WireProtocol protocol, TState state, Action<IWireWriter, TState> writeBody, PooledBufferWriter body)
    {
        if (protocol == WireProtocol.Json)
        {
            using var json = new JsonWireWriter(body);
            writeBody(json, state);
            json.Flush();
            return;
        }

        writeBody(new CborBufferWriter(body), state);
    }
}
