using System.Buffers;
using System.Text;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// Writes JSON strings exactly as the Java agent's Jackson <c>ObjectMapper</c> does: only <c>"</c>, <c>\</c>
/// and control characters below U+0020 are escaped (<c>\b \t \n \f \r</c>, else <c>\u00XX</c> in upper case);
/// everything else, <c>/</c>, DEL, U+2028 and characters outside the BMP included, is written as raw UTF-8.
/// <see cref="System.Text.Json.Utf8JsonWriter"/> escapes more than that even with its relaxed encoder (emoji,
/// DEL, U+2028), and a custom encoder needs unsafe code, so the few structural bytes are written here directly.
/// </summary>
internal static class JacksonJson
{
    private static readonly SearchValues<byte> MustEscape = SearchValues.Create(
        [.. Enumerable.Range(0, 0x20).Select(b => (byte)b), (byte)'"', (byte)'\\']);

    private static readonly byte[] Hex = "0123456789ABCDEF"u8.ToArray();

    /// <summary><c>null</c>.</summary>
    public static ReadOnlySpan<byte> Null => "null"u8;

    /// <summary>Writes a quoted, escaped string from valid UTF-8.</summary>
    public static void WriteString(IBufferWriter<byte> target, ReadOnlySpan<byte> utf8)
    {
        Utf8Text.Write(target, (byte)'"');
        while (true)
        {
            var i = utf8.IndexOfAny(MustEscape);
            if (i < 0)
            {
                Utf8Text.Write(target, utf8);
                break;
            }

            Utf8Text.Write(target, utf8[..i]);
            WriteEscape(target, utf8[i]);
            utf8 = utf8[(i + 1)..];
        }

        Utf8Text.Write(target, (byte)'"');
    }

    /// <summary>Writes a quoted, escaped string from UTF-16 text (a lone surrogate becomes U+FFFD).</summary>
    public static void WriteString(IBufferWriter<byte> target, ReadOnlySpan<char> text)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (length <= 512)
        {
            Span<byte> stack = stackalloc byte[length];
            var written = Encoding.UTF8.GetBytes(text, stack);
            WriteString(target, stack[..written]);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var written = Encoding.UTF8.GetBytes(text, rented);
            WriteString(target, rented.AsSpan(0, written));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>The bytes of <c>"name":</c>, escaped, optionally preceded by a comma.</summary>
    public static byte[] PropertyName(string name, bool leadingComma)
    {
        var buffer = new ArrayBufferWriter<byte>();
        if (leadingComma)
        {
            Utf8Text.Write(buffer, (byte)',');
        }

        WriteString(buffer, name.AsSpan());
        Utf8Text.Write(buffer, (byte)':');
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteEscape(IBufferWriter<byte> target, byte b)
    {
        var span = target.GetSpan(6);
        span[0] = (byte)'\\';
        var shortForm = b switch
        {
            (byte)'"' => (byte)'"',
            (byte)'\\' => (byte)'\\',
            0x08 => (byte)'b',
            0x09 => (byte)'t',
            0x0A => (byte)'n',
            0x0C => (byte)'f',
            0x0D => (byte)'r',
            _ => (byte)0,
        };
        if (shortForm != 0)
        {
            span[1] = shortForm;
            target.Advance(2);
            return;
        }

        span[1] = (byte)'u';
        span[2] = (byte)'0';
        span[3] = (byte)'0';
        span[4] = Hex[b >> 4];
        span[5] = Hex[b & 0xF];
        target.Advance(6);
    }
}
