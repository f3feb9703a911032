using System.Buffers;
using System.Text;
using Kinesis.Clients.EventStream;
using static Kinesis.Clients.Tests.EventStream.EventStreamVectors;

namespace Kinesis.Clients.Tests.EventStream;

public sealed class EventStreamDecoderTests
{
    private static readonly byte[] FooBar = "{'foo':'bar'}"u8.ToArray();

    [Fact]
    public void All_headers_vector_decodes_every_header_type()
    {
        var message = EventStreamDecoder.Decode(Bytes(AllHeaders));

        Assert.Equal(FooBar, message.Payload.ToArray());
        Assert.Equal(
            ["event-type", "content-type", "bool false", "bool true", "byte", "byte buf", "timestamp", "int16", "int64", "uuid"],
            message.Headers.Select(h => h.Name));
        Assert.Equal(40972, message.Find("event-type")!.Value.AsInt64());
        Assert.Equal(EventStreamHeaderType.Int32, message.Find("event-type")!.Value.Type);
        Assert.Equal("application/json", message.GetString("content-type"));
        Assert.False(message.Find("bool false")!.Value.AsBoolean());
        Assert.True(message.Find("bool true")!.Value.AsBoolean());
        Assert.Equal(-49, message.Find("byte")!.Value.AsInt64());
        Assert.Equal("I'm a little teapot!", Encoding.UTF8.GetString(message.Find("byte buf")!.Value.AsBytes().Span));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(8675309), message.Find("timestamp")!.Value.AsTimestamp());
        Assert.Equal(42, message.Find("int16")!.Value.AsInt64());
        Assert.Equal(42424242, message.Find("int64")!.Value.AsInt64());
        Assert.Equal(Guid.Parse("01020304-0506-0708-090a-0b0c0d0e0f10"), message.Find("uuid")!.Value.AsUuid());
    }

    [Theory]
    [InlineData(EmptyMessage, 0, 0)]
    [InlineData(Int32Header, 1, 13)]
    [InlineData(PayloadNoHeaders, 0, 13)]
    [InlineData(PayloadOneStringHeader, 1, 13)]
    public void Positive_vectors_decode(string hex, int headers, int payloadLength)
    {
        var message = EventStreamDecoder.Decode(Bytes(hex));

        Assert.Equal(headers, message.Headers.Count);
        Assert.Equal(payloadLength, message.Payload.Length);
        if (payloadLength > 0)
        {
            Assert.Equal(FooBar, message.Payload.ToArray());
        }
    }

    [Fact]
    public void Int32_and_string_header_vectors_carry_their_values()
    {
        Assert.Equal(40972, EventStreamDecoder.Decode(Bytes(Int32Header)).Find("event-type")!.Value.AsInt64());
        Assert.Equal("application/json", EventStreamDecoder.Decode(Bytes(PayloadOneStringHeader)).GetString("content-type"));
    }

    [Theory]
    [MemberData(nameof(EventStreamVectors.Corrupted), MemberType = typeof(EventStreamVectors))]
    public void Corrupted_vectors_are_rejected_naming_the_checksum(string name, string hex)
    {
        var bytes = Bytes(hex);
        var sequence = new ReadOnlySequence<byte>(bytes);

        var error = Assert.Throws<EventStreamFormatException>(() => EventStreamDecoder.TryDecode(ref sequence, out _));

        Assert.Contains("checksum mismatch", error.Message, StringComparison.Ordinal);
        Assert.True(error.Message.Contains("prelude", StringComparison.Ordinal) == name is "corrupted_header_len" or "corrupted_length", error.Message);
    }

    [Fact]
    public void A_flipped_message_crc_is_reported_with_both_values()
    {
        var bytes = Bytes(PayloadOneStringHeader);
        bytes[^1] ^= 0xFF;

        var error = Assert.Throws<EventStreamFormatException>(() => EventStreamDecoder.Decode(bytes));

        Assert.Contains("message carries CRC32 0x8D9C084E", error.Message, StringComparison.Ordinal);
        Assert.Contains("hash to 0x8D9C08B1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_single_bit_flip_of_a_vector_is_rejected()
    {
        var original = Bytes(AllHeaders);
        for (var bit = 0; bit < original.Length * 8; bit++)
        {
            var bytes = (byte[])original.Clone();
            bytes[bit / 8] ^= (byte)(1 << (bit % 8));
            var sequence = new ReadOnlySequence<byte>(bytes);

            // CRC32 catches every single-bit error, in the prelude's lengths as anywhere else.
            var rejected = Record.Exception(() => EventStreamDecoder.TryDecode(ref sequence, out _));
            Assert.True(rejected is EventStreamFormatException, $"bit {bit}: {rejected?.Message ?? "accepted"}");
        }
    }

    [Fact]
    public void A_message_is_only_decoded_once_complete_and_the_buffer_moves_past_it()
    {
        var first = Bytes(PayloadOneStringHeader);
        var second = Bytes(EmptyMessage);
        var all = first.Concat(second).ToArray();

        for (var length = 0; length < first.Length; length++)
        {
            var partial = new ReadOnlySequence<byte>(all, 0, length);
            Assert.False(EventStreamDecoder.TryDecode(ref partial, out _));
            Assert.Equal(length, partial.Length);
        }

        var buffer = new ReadOnlySequence<byte>(all);
        Assert.True(EventStreamDecoder.TryDecode(ref buffer, out var one));
        Assert.Equal(second.Length, buffer.Length);
        Assert.True(EventStreamDecoder.TryDecode(ref buffer, out var two));
        Assert.True(buffer.IsEmpty);
        Assert.Equal("application/json", one.GetString("content-type"));
        Assert.Empty(two.Headers);
    }

    [Fact]
    public void A_corrupt_prelude_is_reported_before_the_rest_of_the_message_arrives()
    {
        // Only the 12 prelude bytes of a message announcing 16 MiB + 1 bytes: waiting for them would hang.
        var prelude = new byte[12];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prelude, EventStreamDecoder.MaxMessageLength + 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), System.IO.Hashing.Crc32.HashToUInt32(prelude.AsSpan(0, 8)));
        var buffer = new ReadOnlySequence<byte>(prelude);

        var error = Assert.Throws<EventStreamFormatException>(() => EventStreamDecoder.TryDecode(ref buffer, out _));

        Assert.Contains("outside 16..16777216", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Headers_longer_than_the_message_are_rejected()
    {
        var prelude = new byte[16];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prelude, 16);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(4), 1);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(prelude.AsSpan(8), System.IO.Hashing.Crc32.HashToUInt32(prelude.AsSpan(0, 8)));

        var error = Assert.Throws<EventStreamFormatException>(() => EventStreamDecoder.Decode(prelude));

        Assert.Contains("headers length 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unknown_header_types_are_rejected()
    {
        var message = global::Kinesis.Clients.Testing.EventStreamFrames.Encode([new("x", "y")], []);
        message[12 + 1 + 1] = 10; // the type byte after the 1-byte name
        Fix(message);

        var error = Assert.Throws<EventStreamFormatException>(() => EventStreamDecoder.Decode(message));

        Assert.Contains("unknown value type 10", error.Message, StringComparison.Ordinal);
    }

    // Recomputes the message CRC after an edit, so only the edit itself can be rejected.
    private static void Fix(byte[] message) =>
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(
            message.AsSpan(message.Length - 4), System.IO.Hashing.Crc32.HashToUInt32(message.AsSpan(0, message.Length - 4)));
}
