using System.Buffers;
using System.Text.Json;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// Lays out compact JSON as Jackson's <c>DefaultPrettyPrinter</c> does, for <c>"jsonFormat": "PRETTYPRINT"</c>:
/// object entries on their own lines indented two spaces per object level with <c>"key" : value</c>; arrays on
/// one line as <c>[ a, b ]</c>; empty containers as <c>{ }</c> and <c>[ ]</c>; <c>\n</c> line breaks.
/// </summary>
internal static class JacksonPrettyPrinter
{
    /// <summary>Writes <paramref name="compactJson"/> (valid JSON) laid out to <paramref name="target"/>.</summary>
    public static void Write(ReadOnlySpan<byte> compactJson, IBufferWriter<byte> target)
    {
        var reader = new Utf8JsonReader(compactJson);
        Span<bool> inObject = stackalloc bool[65];
        Span<int> counts = stackalloc int[65];
        var depth = 0;
        var objectDepth = 0;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    if (counts[depth]++ > 0)
                    {
                        Utf8Text.Write(target, (byte)',');
                    }

                    NewLine(target, objectDepth);
                    Quoted(target, reader.ValueSpan);
                    Utf8Text.Write(target, " : "u8);
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    BeforeValue(target, inObject[depth], counts, depth);
                    depth++;
                    inObject[depth] = reader.TokenType == JsonTokenType.StartObject;
                    counts[depth] = 0;
                    if (inObject[depth])
                    {
                        objectDepth++;
                    }

                    Utf8Text.Write(target, inObject[depth] ? (byte)'{' : (byte)'[');
                    break;
                case JsonTokenType.EndObject:
                    objectDepth--;
                    if (counts[depth] > 0)
                    {
                        NewLine(target, objectDepth);
                    }
                    else
                    {
                        Utf8Text.Write(target, (byte)' ');
                    }

                    Utf8Text.Write(target, (byte)'}');
                    depth--;
                    break;
                case JsonTokenType.EndArray:
                    Utf8Text.Write(target, " ]"u8);
                    depth--;
                    break;
                default:
                    BeforeValue(target, inObject[depth], counts, depth);
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        Quoted(target, reader.ValueSpan);
                    }
                    else
                    {
                        Utf8Text.Write(target, reader.ValueSpan);
                    }

                    break;
            }
        }
    }

    private static void BeforeValue(IBufferWriter<byte> target, bool inObject, Span<int> counts, int depth)
    {
        // An object value follows its " : "; an array value is preceded by "[ " or ", ".
        if (depth == 0 || inObject)
        {
            return;
        }

        Utf8Text.Write(target, counts[depth]++ > 0 ? ", "u8 : " "u8);
    }

    private static void NewLine(IBufferWriter<byte> target, int level)
    {
        var span = target.GetSpan(1 + (2 * level));
        span[0] = (byte)'\n';
        span.Slice(1, 2 * level).Fill((byte)' ');
        target.Advance(1 + (2 * level));
    }

    private static void Quoted(IBufferWriter<byte> target, ReadOnlySpan<byte> escaped)
    {
        Utf8Text.Write(target, (byte)'"');
        Utf8Text.Write(target, escaped);
        Utf8Text.Write(target, (byte)'"');
    }
}
