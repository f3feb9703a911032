using System.Buffers.Binary;
using System.Text;

namespace Kinesis.Clients.Encryption;

/// <summary>
/// The encryption context as the envelope carries it: a 16-bit pair count, then each key and value as a 16-bit
/// length and UTF-8 bytes, keys in ordinal order (so one context has one serialization).
/// </summary>
internal static class EncryptionContextFormat
{
    private static readonly UTF8Encoding Strict = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static byte[] Write(IReadOnlyDictionary<string, string> context)
    {
        var pairs = context.OrderBy(p => p.Key, StringComparer.Ordinal).ToArray();
        var length = 2;
        foreach (var (key, value) in pairs)
        {
            length += 4 + Encoding.UTF8.GetByteCount(key) + Encoding.UTF8.GetByteCount(value);
        }

        if (length > ushort.MaxValue)
        {
            throw new ArgumentException($"The encryption context takes {length} bytes serialized; at most {ushort.MaxValue} fit.", nameof(context));
        }

        var bytes = new byte[length];
        BinaryPrimitives.WriteUInt16BigEndian(bytes, (ushort)pairs.Length);
        var at = 2;
        foreach (var (key, value) in pairs)
        {
            at = WriteString(bytes, at, key);
            at = WriteString(bytes, at, value);
        }

        return bytes;
    }

    public static bool TryRead(ReadOnlySpan<byte> bytes, out Dictionary<string, string> context, out string? problem)
    {
        context = new Dictionary<string, string>(StringComparer.Ordinal);
        problem = "The encrypted envelope's encryption context is malformed.";
        if (bytes.Length < 2)
        {
            return false;
        }

        int count = BinaryPrimitives.ReadUInt16BigEndian(bytes);
        var at = 2;
        try
        {
            for (var i = 0; i < count; i++)
            {
                if (!TryReadString(bytes, ref at, out var key) || !TryReadString(bytes, ref at, out var value) || !context.TryAdd(key, value))
                {
                    return false;
                }
            }
        }
        catch (DecoderFallbackException)
        {
            return false;
        }

        if (at != bytes.Length)
        {
            return false;
        }

        problem = null;
        return true;
    }

    private static int WriteString(byte[] bytes, int at, string text)
    {
        var written = Encoding.UTF8.GetBytes(text, bytes.AsSpan(at + 2));
        BinaryPrimitives.WriteUInt16BigEndian(bytes.AsSpan(at), (ushort)written);
        return at + 2 + written;
    }

    private static bool TryReadString(ReadOnlySpan<byte> bytes, ref int at, out string text)
    {
        text = "";
        if (bytes.Length - at < 2)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
        if (bytes.Length - at - 2 < length)
        {
            return false;
        }

        text = Strict.GetString(bytes.Slice(at + 2, length));
        at += 2 + length;
        return true;
    }
}
