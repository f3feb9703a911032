using Kinesis.Clients.Buffers;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Testing;

/// <summary>Encodes a body in JSON 1.1 or CBOR 1.1 into a pooled buffer, through Core's wire writers.</summary>
internal static class WireEncoder
{
    public static void Encode<TState>(WireProtocol protocol, PooledBufferWriter body, TState state, Action<IWireWriter, TState> write)
    {
        if (protocol == WireProtocol.Json)
        {
            using var json = new JsonWireWriter(body);
            write(json, state);
            json.Flush();
            return;
        }

        write(new CborBufferWriter(body), state);
    }
}
