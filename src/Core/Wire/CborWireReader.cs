using System.Formats.Cbor;

namespace Kinesis.Clients.Wire;

/// <summary>Decodes an AWS CBOR 1.1 body into a <see cref="WireValue"/> tree.</summary>
internal static class CborWireReader
{
    private const int MaxDepth = 64;

    /// <param name="body">The whole body; byte strings are slices of it, not copies.</param>
    public static WireValue Read(ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return WireValue.FromMap(new Dictionary<string, WireValue>());
        }

        var reader = new CborReader(body, CborConformanceMode.Lax, allowMultipleRootLevelValues: false);
        try
        {
            var value = ReadValue(reader, 0);
            if (reader.BytesRemaining != 0)
            {
                throw new WireFormatException("Unexpected content after the CBOR body.");
            }

            return value;
        }
        catch (CborContentException ex)
        {
            throw new WireFormatException($"The response body is not valid CBOR: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new WireFormatException($"The response body is not valid CBOR: {ex.Message}", ex);
        }
    }

    private static WireValue ReadValue(CborReader reader, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new WireFormatException("The CBOR body nests too deeply.");
        }

        switch (reader.PeekState())
        {
            case CborReaderState.StartMap:
                var count = reader.ReadStartMap();
                var map = new Dictionary<string, WireValue>(count ?? 4, StringComparer.Ordinal);
                while (reader.PeekState() != CborReaderState.EndMap)
                {
                    var key = ReadKey(reader);
                    map[key] = ReadValue(reader, depth + 1);
                }

                reader.ReadEndMap();
                return WireValue.FromMap(map);
            case CborReaderState.StartArray:
                var length = reader.ReadStartArray();
                var items = new List<WireValue>(length ?? 4);
                while (reader.PeekState() != CborReaderState.EndArray)
                {
                    items.Add(ReadValue(reader, depth + 1));
                }

                reader.ReadEndArray();
                return WireValue.FromArray(items);
            case CborReaderState.TextString:
                return WireValue.FromText(reader.ReadTextString());
            case CborReaderState.StartIndefiniteLengthTextString:
                return WireValue.FromText(ReadIndefiniteText(reader));
            case CborReaderState.ByteString:
                return WireValue.FromBytes(reader.ReadDefiniteLengthByteString());
            case CborReaderState.StartIndefiniteLengthByteString:
                return WireValue.FromBytes(reader.ReadByteString());
            case CborReaderState.UnsignedInteger:
            case CborReaderState.NegativeInteger:
                return WireValue.FromInteger(reader.ReadInt64());
            case CborReaderState.HalfPrecisionFloat:
            case CborReaderState.SinglePrecisionFloat:
            case CborReaderState.DoublePrecisionFloat:
                return WireValue.FromFloat(reader.ReadDouble());
            case CborReaderState.Boolean:
                return WireValue.FromBoolean(reader.ReadBoolean());
            case CborReaderState.Null:
            case CborReaderState.SimpleValue:
                reader.SkipValue();
                return WireValue.Null;
            case CborReaderState.Tag:
                return ReadTagged(reader, depth);
            default:
                throw new WireFormatException($"Unexpected CBOR item {reader.PeekState()}.");
        }
    }

    private static WireValue ReadTagged(CborReader reader, int depth)
    {
        var tag = reader.ReadTag();
        var inner = ReadValue(reader, depth + 1);
        if (tag == CborTag.UnixTimeSeconds && inner.Kind == WireKind.Float)
        {
            return WireValue.FromTimestampSeconds(inner.Float);
        }

        if (tag == CborTag.UnixTimeSeconds && inner.Kind == WireKind.Integer)
        {
            // AWS CBOR 1.1 puts epoch milliseconds under tag 1, RFC 8949 puts seconds; the
            // integer timestamp reader tells them apart by magnitude.
            return inner;
        }

        if (tag == CborTag.DateTimeString && inner.Kind == WireKind.Text)
        {
            var parsed = DateTimeOffset.Parse(inner.Text!, System.Globalization.CultureInfo.InvariantCulture);
            return WireValue.FromTimestampSeconds(parsed.ToUnixTimeMilliseconds() / 1000.0);
        }

        // Other tags (e.g. big numbers) carry no meaning for the operations we call; keep the value.
        return inner;
    }

    private static string ReadKey(CborReader reader) => reader.PeekState() switch
    {
        CborReaderState.TextString => reader.ReadTextString(),
        CborReaderState.StartIndefiniteLengthTextString => ReadIndefiniteText(reader),
        var state => throw new WireFormatException($"CBOR map key must be text, found {state}."),
    };

    private static string ReadIndefiniteText(CborReader reader)
    {
        // ReadTextString concatenates the chunks of an indefinite-length string.
        return reader.ReadTextString();
    }
}
