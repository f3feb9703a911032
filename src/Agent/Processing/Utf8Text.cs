using System.Buffers;
using System.Text;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>UTF-8 helpers for records, which may hold any bytes.</summary>
internal static class Utf8Text
{
    /// <summary>
    /// The record as valid UTF-8: itself when it already is, else a copy with each invalid sequence replaced
    /// by U+FFFD, as Java's <c>new String(bytes, UTF_8)</c> does before the Java agent builds JSON.
    /// </summary>
    public static ReadOnlySpan<byte> Repair(ReadOnlySpan<byte> record)
    {
        if (System.Text.Unicode.Utf8.IsValid(record))
        {
            return record;
        }

        var repaired = Scratch.Utf8;
        Encoding.UTF8.GetBytes(Decode(record), repaired);
        return repaired.WrittenSpan;
    }

    /// <summary>
    /// The record as text, as Java's <c>new String(bytes, UTF_8)</c> reads it. Each malformed sequence becomes one
    /// U+FFFD, as in .NET, except a UTF-16 surrogate encoded in three bytes (<c>ED A0..BF 80..BF</c>, as CESU-8 and
    /// Java's modified UTF-8 write them): Java replaces the three bytes with one U+FFFD where .NET gives three.
    /// </summary>
    public static string Decode(ReadOnlySpan<byte> record)
    {
        if (System.Text.Unicode.Utf8.IsValid(record))
        {
            return Encoding.UTF8.GetString(record);
        }

        var text = new StringBuilder(record.Length);
        Span<char> chars = stackalloc char[2];
        while (!record.IsEmpty)
        {
            if (record.Length >= 3 && record[0] == 0xED && record[1] is >= 0xA0 and <= 0xBF && record[2] is >= 0x80 and <= 0xBF)
            {
                text.Append('\uFFFD');
                record = record[3..];
                continue;
            }

            System.Text.Rune.DecodeFromUtf8(record, out var rune, out var consumed);
            text.Append(chars[..rune.EncodeToUtf16(chars)]);
            record = record[consumed..];
        }

        return text.ToString();
    }

    /// <summary>Writes bytes to a buffer writer.</summary>
    public static void Write(IBufferWriter<byte> target, ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty)
        {
            return;
        }

        bytes.CopyTo(target.GetSpan(bytes.Length));
        target.Advance(bytes.Length);
    }

    /// <summary>Writes one byte to a buffer writer.</summary>
    public static void Write(IBufferWriter<byte> target, byte value)
    {
        target.GetSpan(1)[0] = value;
        target.Advance(1);
    }
}
