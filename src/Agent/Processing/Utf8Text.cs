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
        Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(record), repaired);
        return repaired.WrittenSpan;
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
