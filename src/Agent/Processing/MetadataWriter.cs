using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text.Json;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// Serialises ADDMETADATA's <c>metadata</c> once, as Jackson re-serialises the map it read: compact, strings
/// escaped by <see cref="JacksonJson"/>, integers as plain digits, other numbers as Java doubles, and a key
/// repeated in one object kept at its first place with its last value.
/// </summary>
internal static class MetadataWriter
{
    /// <summary>The compact JSON bytes of <paramref name="metadata"/>; <c>null</c> when absent.</summary>
    public static byte[] Serialize(JsonElement? metadata)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (metadata is { } value)
        {
            Write(value, buffer);
        }
        else
        {
            Utf8Text.Write(buffer, JacksonJson.Null);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Writes one JSON value as Jackson would after reading it.</summary>
    internal static void Write(JsonElement value, IBufferWriter<byte> target)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Object:
                WriteObject(value, target);
                break;
            case JsonValueKind.Array:
                Utf8Text.Write(target, (byte)'[');
                var first = true;
                foreach (var item in value.EnumerateArray())
                {
                    if (!first)
                    {
                        Utf8Text.Write(target, (byte)',');
                    }

                    first = false;
                    Write(item, target);
                }

                Utf8Text.Write(target, (byte)']');
                break;
            case JsonValueKind.String:
                JacksonJson.WriteString(target, value.GetString().AsSpan());
                break;
            case JsonValueKind.Number:
                WriteNumber(value.GetRawText(), target);
                break;
            default:
                Utf8Text.Write(target, System.Text.Encoding.UTF8.GetBytes(value.GetRawText()));
                break;
        }
    }

    private static void WriteObject(JsonElement value, IBufferWriter<byte> target)
    {
        var properties = value.EnumerateObject().ToList();
        Utf8Text.Write(target, (byte)'{');
        var written = new HashSet<string>(StringComparer.Ordinal);
        foreach (var property in properties)
        {
            if (!written.Add(property.Name))
            {
                continue;
            }

            if (written.Count > 1)
            {
                Utf8Text.Write(target, (byte)',');
            }

            JacksonJson.WriteString(target, property.Name.AsSpan());
            Utf8Text.Write(target, (byte)':');
            Write(properties.Last(p => p.Name == property.Name).Value, target);
        }

        Utf8Text.Write(target, (byte)'}');
    }

    private static void WriteNumber(string raw, IBufferWriter<byte> target)
    {
        string text;
        if (raw.AsSpan().IndexOfAny(".eE") < 0)
        {
            text = BigInteger.Parse(raw, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture);
        }
        else
        {
            var number = double.Parse(raw, NumberStyles.Float, CultureInfo.InvariantCulture);

            // Jackson writes a non-finite double as a quoted name.
            text = double.IsFinite(number) ? JavaDouble.Format(number) : $"\"{JavaDouble.Format(number)}\"";
        }

        Utf8Text.Write(target, System.Text.Encoding.UTF8.GetBytes(text));
    }
}
