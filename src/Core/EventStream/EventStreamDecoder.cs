using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace Kinesis.Clients.EventStream;

/// <summary>
/// Decodes <c>application/vnd.amazon.eventstream</c> messages: a 12-byte prelude (total length, headers length,
/// CRC32 of those 8 bytes, all big-endian), the headers, the payload, and a CRC32 of everything before it.
/// </summary>
/// <remarks>
/// AWSSDK.Core carries a decoder of its own (<c>Amazon.Runtime.EventStreams.Internal.EventStreamDecoder</c>) that
/// works standalone, but it sits in an <c>Internal</c> namespace, pushes messages through synchronous events, and
/// accepts any length a valid prelude announces (a 2 GiB message included); this one is pull-based, caps lengths
/// at aws-c-event-stream's limits and says which check failed with which values.
/// </remarks>
internal static class EventStreamDecoder
{
    /// <summary>Total length, headers length and prelude CRC: 4 bytes each.</summary>
    public const int PreludeLength = 12;

    /// <summary>The smallest message: a prelude and a message CRC, no headers, no payload.</summary>
    public const int MinimumMessageLength = PreludeLength + 4;

    /// <summary>The largest message accepted: 16 MiB, aws-c-event-stream's <c>AWS_EVENT_STREAM_MAX_MESSAGE_SIZE</c>.</summary>
    public const int MaxMessageLength = 16 * 1024 * 1024;

    /// <summary>The largest headers section accepted: 128 KiB, aws-c-event-stream's <c>AWS_EVENT_STREAM_MAX_HEADERS_SIZE</c>.</summary>
    public const int MaxHeadersLength = 128 * 1024;

    /// <summary>
    /// Decodes the message at the start of <paramref name="buffer"/> and moves <paramref name="buffer"/> past it;
    /// returns <see langword="false"/> and leaves the buffer alone when the message is not complete yet.
    /// </summary>
    /// <remarks>The prelude is checked as soon as its 12 bytes are there, so a corrupt length is reported at once
    /// instead of waiting for bytes that will never come.</remarks>
    /// <exception cref="EventStreamFormatException">The bytes are not a valid message.</exception>
    public static bool TryDecode(ref ReadOnlySequence<byte> buffer, [NotNullWhen(true)] out EventStreamMessage? message)
    {
        message = null;
        if (buffer.Length < PreludeLength)
        {
            return false;
        }

        Span<byte> prelude = stackalloc byte[PreludeLength];
        buffer.Slice(0, PreludeLength).CopyTo(prelude);
        var (totalLength, headersLength) = ReadPrelude(prelude);
        if (buffer.Length < totalLength)
        {
            return false;
        }

        // One array per message: header values and the payload are slices of it and outlive the pipe's buffers.
        var bytes = new byte[totalLength];
        buffer.Slice(0, totalLength).CopyTo(bytes);
        message = DecodeBody(bytes, headersLength);
        buffer = buffer.Slice(totalLength);
        return true;
    }

    /// <summary>Decodes exactly one message that fills <paramref name="bytes"/>.</summary>
    /// <exception cref="EventStreamFormatException">The bytes are not exactly one valid message.</exception>
    public static EventStreamMessage Decode(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < PreludeLength)
        {
            throw new EventStreamFormatException(
                $"An event-stream message needs at least {MinimumMessageLength} bytes; got {bytes.Length}.");
        }

        var (totalLength, headersLength) = ReadPrelude(bytes[..PreludeLength]);
        if (totalLength != bytes.Length)
        {
            throw new EventStreamFormatException(
                $"The event-stream prelude announces {totalLength} bytes but the message has {bytes.Length}.");
        }

        return DecodeBody(bytes.ToArray(), headersLength);
    }

    private static (int Total, int Headers) ReadPrelude(ReadOnlySpan<byte> prelude)
    {
        var total = BinaryPrimitives.ReadUInt32BigEndian(prelude);
        var headers = BinaryPrimitives.ReadUInt32BigEndian(prelude[4..]);
        var stored = BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]);
        var computed = Crc32.HashToUInt32(prelude[..8]);
        if (stored != computed)
        {
            throw new EventStreamFormatException(Invariant(
                $"Event-stream prelude checksum mismatch: the prelude carries CRC32 0x{stored:X8} but its length fields (total {total}, headers {headers}) hash to 0x{computed:X8}; the stream is corrupt."));
        }

        if (total < MinimumMessageLength || total > MaxMessageLength)
        {
            throw new EventStreamFormatException(Invariant(
                $"Event-stream message length {total} is outside {MinimumMessageLength}..{MaxMessageLength} bytes."));
        }

        if (headers > MaxHeadersLength || headers > total - MinimumMessageLength)
        {
            throw new EventStreamFormatException(Invariant(
                $"Event-stream headers length {headers} does not fit a message of {total} bytes (at most {Math.Min(MaxHeadersLength, total - MinimumMessageLength)})."));
        }

        return ((int)total, (int)headers);
    }

    private static EventStreamMessage DecodeBody(byte[] bytes, int headersLength)
    {
        var crcOffset = bytes.Length - 4;
        var stored = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(crcOffset));
        var computed = Crc32.HashToUInt32(bytes.AsSpan(0, crcOffset));
        if (stored != computed)
        {
            throw new EventStreamFormatException(Invariant(
                $"Event-stream message checksum mismatch: the message carries CRC32 0x{stored:X8} but its {crcOffset} bytes hash to 0x{computed:X8} (headers {headersLength} bytes, payload {crcOffset - PreludeLength - headersLength} bytes); the stream is corrupt."));
        }

        var headers = ReadHeaders(bytes.AsMemory(PreludeLength, headersLength));
        var payloadOffset = PreludeLength + headersLength;
        return new EventStreamMessage(headers, bytes.AsMemory(payloadOffset, crcOffset - payloadOffset));
    }

    private static List<EventStreamHeader> ReadHeaders(ReadOnlyMemory<byte> section)
    {
        var headers = new List<EventStreamHeader>(4);
        var span = section.Span;
        var position = 0;
        while (position < span.Length)
        {
            var nameLength = span[position++];
            if (nameLength == 0 || position + nameLength + 1 > span.Length)
            {
                throw Malformed(headers.Count, $"a name of {nameLength} bytes does not fit");
            }

            var name = Encoding.UTF8.GetString(span.Slice(position, nameLength));
            position += nameLength;
            var typeCode = span[position++];
            int valueLength;
            var valueOffset = position;
            switch ((EventStreamHeaderType)typeCode)
            {
                case EventStreamHeaderType.BoolTrue:
                case EventStreamHeaderType.BoolFalse:
                    valueLength = 0;
                    break;
                case EventStreamHeaderType.Byte:
                    valueLength = 1;
                    break;
                case EventStreamHeaderType.Int16:
                    valueLength = 2;
                    break;
                case EventStreamHeaderType.Int32:
                    valueLength = 4;
                    break;
                case EventStreamHeaderType.Int64:
                case EventStreamHeaderType.Timestamp:
                    valueLength = 8;
                    break;
                case EventStreamHeaderType.Uuid:
                    valueLength = 16;
                    break;
                case EventStreamHeaderType.ByteArray:
                case EventStreamHeaderType.String:
                    if (position + 2 > span.Length)
                    {
                        throw Malformed(headers.Count, $"header '{name}' is cut off before its value length");
                    }

                    valueLength = BinaryPrimitives.ReadUInt16BigEndian(span[position..]);
                    valueOffset = position + 2;
                    break;
                default:
                    throw Malformed(headers.Count, $"header '{name}' has unknown value type {typeCode}");
            }

            if (valueOffset + valueLength > span.Length)
            {
                throw Malformed(headers.Count, $"the {valueLength}-byte value of header '{name}' does not fit");
            }

            headers.Add(new EventStreamHeader(name, (EventStreamHeaderType)typeCode, section.Slice(valueOffset, valueLength)));
            position = valueOffset + valueLength;
        }

        return headers;
    }

    private static EventStreamFormatException Malformed(int index, string reason) =>
        new(Invariant($"Event-stream header {index} is malformed: {reason}."));

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
