using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Testing;

/// <summary>Small operations on decoded bodies: re-encoding a subtree, blob sizes, stream names.</summary>
internal static class WireTree
{
    public static WireValue? TryRead(WireProtocol protocol, ReadOnlyMemory<byte> body)
    {
        try
        {
            return protocol == WireProtocol.Cbor ? CborWireReader.Read(body) : JsonWireReader.Read(body.Span);
        }
        catch (WireFormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// Writes a decoded value back out. Text stays text and byte strings stay byte strings, so base64 data of a
    /// JSON body is copied as it is, never decoded and encoded again.
    /// </summary>
    public static void Write(IWireWriter writer, WireValue value)
    {
        switch (value.Kind)
        {
            case WireKind.Map:
                var count = value.Properties.Count(p => !p.Value.IsNull);
                writer.WriteStartObject(count);
                foreach (var (name, item) in value.Properties)
                {
                    if (!item.IsNull)
                    {
                        writer.WritePropertyName(name);
                        Write(writer, item);
                    }
                }

                writer.WriteEndObject();
                break;
            case WireKind.Array:
                writer.WriteStartArray(value.Items.Count);
                foreach (var item in value.Items)
                {
                    Write(writer, item);
                }

                writer.WriteEndArray();
                break;
            case WireKind.Text:
                writer.WriteString(value.Text!);
                break;
            case WireKind.Bytes:
                writer.WriteBlob(value.Bytes.Span);
                break;
            case WireKind.Integer:
                writer.WriteInt64(value.Integer);
                break;
            case WireKind.Boolean:
                writer.WriteBoolean(value.Boolean);
                break;
            case WireKind.Timestamp:
            case WireKind.Float when value.Float != Math.Floor(value.Float):
                writer.WriteTimestamp(value.AsTimestamp()!.Value);
                break;
            case WireKind.Float:
                writer.WriteInt64((long)value.Float);
                break;
            default:
                throw new WireFormatException($"Cannot re-encode a {value.Kind} value.");
        }
    }

    /// <summary>The decoded length of a blob, whether it came as a byte string or as base64 text.</summary>
    public static int BlobLength(WireValue value)
    {
        switch (value.Kind)
        {
            case WireKind.Bytes:
                return value.Bytes.Length;
            case WireKind.Text:
                var text = value.Text!;
                if (text.Length == 0)
                {
                    return 0;
                }

                var padding = text[^1] == '=' ? (text.Length > 1 && text[^2] == '=' ? 2 : 1) : 0;
                return (text.Length / 4 * 3) - padding;
            default:
                return 0;
        }
    }

    /// <summary>The stream a request names, by <c>StreamName</c> or <c>StreamARN</c> (<c>arn:...:stream/NAME</c>).</summary>
    public static string? StreamName(WireValue request)
    {
        if (request["StreamName"].Kind == WireKind.Text)
        {
            return request["StreamName"].Text;
        }

        if (request["StreamARN"].Kind == WireKind.Text)
        {
            var arn = request["StreamARN"].Text!;
            var slash = arn.IndexOf(":stream/", StringComparison.Ordinal);
            return slash >= 0 ? arn[(slash + ":stream/".Length)..] : null;
        }

        return null;
    }

    public static string? Text(WireValue value) => value.Kind == WireKind.Text ? value.Text : null;
}
