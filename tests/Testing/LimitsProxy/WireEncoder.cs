using System.Formats.Cbor;
using Kinesis.Clients.Http;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Testing;

/// <summary>Encodes a body in JSON 1.1 or CBOR 1.1 into a pooled buffer, through Core's wire writers.</summary>
internal static class WireEncoder
{
    // Encoding is synchronous, so one CborWriter per thread is never shared by two bodies at once.
    [ThreadStatic]
    private static CborWriter? t_cbor;

    public static void Encode<TState>(WireProtocol protocol, PooledBufferWriter body, TState state, Action<IWireWriter, TState> write)
    {
        if (protocol == WireProtocol.Json)
        {
            using var json = new JsonWireWriter(body);
            write(json, state);
            json.Flush();
            return;
        }

        var cbor = t_cbor ??= new CborWriter(CborConformanceMode.Lax, convertIndefiniteLengthEncodings: false);
        try
        {
            write(new CborWireWriter(cbor), state);
            var written = cbor.Encode(body.GetSpan(cbor.BytesWritten));
            body.Advance(written);
        }
        finally
        {
            cbor.Reset();
        }
    }
}
