using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Encodes <c>application/vnd.amazon.eventstream</c> messages with string headers, as Kinesis frames the events of
/// a SubscribeToShard response: total length, headers length and a CRC32 of those two (4 bytes each, big-endian),
/// the headers (name length byte, name, type 7, 2-byte value length, UTF-8 value), the payload, and a CRC32 of all
/// of it.
/// </summary>
public static class EventStreamFrames
{
    private const byte StringType = 7;

    /// <summary>One message with <paramref name="headers"/> (in order) and <paramref name="payload"/>.</summary>
    /// <exception cref="ArgumentException">A header name is empty or over 255 bytes, or a value over 65,535 bytes.</exception>
    public static byte[] Encode(IReadOnlyList<KeyValuePair<string, string>> headers, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var headersLength = 0;
        foreach (var (name, value) in headers)
        {
            var nameBytes = Encoding.UTF8.GetByteCount(name);
            var valueBytes = Encoding.UTF8.GetByteCount(value);
            if (nameBytes is 0 or > byte.MaxValue)
            {
                throw new ArgumentException($"Header name '{name}' must be 1 to 255 UTF-8 bytes.", nameof(headers));
            }

            if (valueBytes > ushort.MaxValue)
            {
                throw new ArgumentException($"Header '{name}' has a value over 65,535 bytes.", nameof(headers));
            }

            headersLength += 1 + nameBytes + 1 + 2 + valueBytes;
        }

        var total = 12 + headersLength + payload.Length + 4;
        var message = new byte[total];
        var span = message.AsSpan();
        BinaryPrimitives.WriteUInt32BigEndian(span, (uint)total);
        BinaryPrimitives.WriteUInt32BigEndian(span[4..], (uint)headersLength);
        BinaryPrimitives.WriteUInt32BigEndian(span[8..], Crc32.HashToUInt32(span[..8]));
        var position = 12;
        foreach (var (name, value) in headers)
        {
            var nameLength = Encoding.UTF8.GetBytes(name, span[(position + 1)..]);
            span[position] = (byte)nameLength;
            position += 1 + nameLength;
            span[position++] = StringType;
            var valueLength = Encoding.UTF8.GetBytes(value, span[(position + 2)..]);
            BinaryPrimitives.WriteUInt16BigEndian(span[position..], (ushort)valueLength);
            position += 2 + valueLength;
        }

        payload.CopyTo(span[position..]);
        BinaryPrimitives.WriteUInt32BigEndian(span[(total - 4)..], Crc32.HashToUInt32(span[..(total - 4)]));
        return message;
    }

    /// <summary>An event message: <c>:message-type event</c>, <c>:event-type</c>, <c>:content-type</c>.</summary>
    public static byte[] Event(string eventType, string contentType, ReadOnlySpan<byte> payload) => Encode(
        [new(":message-type", "event"), new(":event-type", eventType), new(":content-type", contentType)],
        payload);

    /// <summary>An exception message: <c>:message-type exception</c>, <c>:exception-type</c>, a JSON <c>{"message": ...}</c> payload.</summary>
    public static byte[] Exception(string exceptionType, string message)
    {
        var payload = System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["message"] = message });
        return Encode(
            [new(":message-type", "exception"), new(":exception-type", exceptionType), new(":content-type", "application/json")],
            payload);
    }

    /// <summary><paramref name="message"/> with its last byte (the message CRC) flipped, so a reader must reject it.</summary>
    public static byte[] Corrupt(byte[] message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var copy = (byte[])message.Clone();
        copy[^1] ^= 0xFF;
        return copy;
    }
}
