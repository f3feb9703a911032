using System.Text;
using CsCheck;
using Kinesis.Clients.EventStream;
using Kinesis.Clients.Testing;
using Kinesis.Clients.Tests.Records;
using static Kinesis.Clients.Tests.EventStream.EventStreamVectors;
using Sdk = Amazon.Runtime.EventStreams;

namespace Kinesis.Clients.Tests.EventStream;

public sealed class EventStreamReaderTests
{
    [Fact(Timeout = 10_000)]
    public async Task Messages_arriving_a_byte_at_a_time_are_read_whole_and_in_order()
    {
        var vectors = new[] { AllHeaders, EmptyMessage, Int32Header, PayloadNoHeaders, PayloadOneStringHeader }.Select(Bytes).ToList();
        await using var stream = new TricklingStream(vectors.SelectMany(v => v).ToArray(), chunk: 1);
        await using var reader = new EventStreamReader(stream);

        var read = new List<EventStreamMessage>();
        while (await reader.ReadAsync(CancellationToken.None) is { } message)
        {
            read.Add(message);
        }

        Assert.Equal([10, 0, 1, 0, 1], read.Select(m => m.Headers.Count));
        Assert.Equal(5, reader.MessagesRead);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_stream_that_ends_inside_a_message_is_an_error()
    {
        var bytes = Bytes(PayloadOneStringHeader);
        await using var stream = new TricklingStream(bytes.Concat(bytes.AsSpan(0, 20).ToArray()).ToArray(), chunk: 7);
        await using var reader = new EventStreamReader(stream);

        Assert.NotNull(await reader.ReadAsync(CancellationToken.None));
        var error = await Assert.ThrowsAsync<EventStreamFormatException>(() => reader.ReadAsync(CancellationToken.None).AsTask());

        Assert.Contains("20 bytes of it arrived after 1 complete messages", error.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 10_000)]
    public async Task A_corrupt_frame_after_good_ones_is_reported_when_reached()
    {
        var good = EventStreamFrames.Event("SubscribeToShardEvent", "application/json", "{}"u8);
        await using var stream = new MemoryStream(good.Concat(good).Concat(EventStreamFrames.Corrupt(good)).ToArray());
        await using var reader = new EventStreamReader(stream);

        Assert.NotNull(await reader.ReadAsync(CancellationToken.None));
        Assert.NotNull(await reader.ReadAsync(CancellationToken.None));
        await Assert.ThrowsAsync<EventStreamFormatException>(() => reader.ReadAsync(CancellationToken.None).AsTask());
    }

    [Fact]
    public void Messages_encoded_by_AWSSDK_Core_decode_to_the_same_headers_and_payload()
    {
        // AWSSDK.Core's EventStreamMessage is an encoder written independently of ours and of the test kit's.
        var header = Gen.Select(
            Gen.String[Gen.Char.AlphaNumeric, 1, 40],
            Gen.Int[0, 4],
            Gen.String[Gen.Char.AlphaNumeric, 0, 300],
            Gen.Long);
        var message = Gen.Select(header.Array[0, 8], Gen.Byte.Array[0, 5000]);
        SeededCheck.ForAll(message, sample =>
        {
            var (headers, payload) = sample;
            var unique = headers.DistinctBy(h => h.Item1).ToList();
            var sdkHeaders = unique.Select(h => (Sdk.IEventStreamHeader)ToSdkHeader(h.Item1, h.Item2, h.Item3, h.Item4)).ToList();
            var encoded = new Sdk.EventStreamMessage(sdkHeaders, payload).ToByteArray();

            var decoded = EventStreamDecoder.Decode(encoded);

            Assert.Equal(payload, decoded.Payload.ToArray());
            Assert.Equal(unique.Count, decoded.Headers.Count);
            foreach (var (name, kind, text, number) in unique)
            {
                var got = decoded.Find(name)!.Value;
                switch (kind)
                {
                    case 0: Assert.Equal(text, got.AsString()); break;
                    case 1: Assert.Equal(number, got.AsInt64()); break;
                    case 2: Assert.Equal((int)number, got.AsInt64()); break;
                    case 3: Assert.Equal(Encoding.UTF8.GetBytes(text), got.AsBytes().ToArray()); break;
                    default: Assert.Equal(number % 2 == 0, got.AsBoolean()); break;
                }
            }
        });
    }

    [Fact]
    public void Frames_of_the_test_kit_decode_with_AWSSDK_Core_too()
    {
        var frame = EventStreamFrames.Event("SubscribeToShardEvent", "application/json", "{\"Records\":[]}"u8);

        var sdk = Sdk.EventStreamMessage.FromBuffer(frame, 0, frame.Length);

        Assert.Equal("SubscribeToShardEvent", sdk.Headers[":event-type"].AsString());
        Assert.Equal("event", sdk.Headers[":message-type"].AsString());
        Assert.Equal("{\"Records\":[]}", Encoding.UTF8.GetString(sdk.Payload));
    }

    private static Sdk.EventStreamHeader ToSdkHeader(string name, int kind, string text, long number)
    {
        var header = new Sdk.EventStreamHeader(name);
        switch (kind)
        {
            case 0: header.SetString(text); break;
            case 1: header.SetInt64(number); break;
            case 2: header.SetInt32((int)number); break;
            case 3: header.SetByteBuf(Encoding.UTF8.GetBytes(text)); break;
            default: header.SetBool(number % 2 == 0); break;
        }

        return header;
    }

    /// <summary>Hands out at most <c>chunk</c> bytes per read, as a slow network would.</summary>
    private sealed class TricklingStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);

        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
