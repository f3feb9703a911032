using System.Formats.Cbor;
using System.Text;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Tests.Wire;

public sealed class WireValueTests
{
    private static readonly DateTimeOffset Arrival = DateTimeOffset.FromUnixTimeMilliseconds(1_764_000_123_456);

    [Fact]
    public void Cbor_record_data_as_byte_string_is_read_as_is()
    {
        var body = Cbor(w =>
        {
            w.WriteStartMap(1);
            w.WriteTextString("Data");
            w.WriteByteString(new byte[] { 0, 1, 2, 255 });
            w.WriteEndMap();
        });

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, CborWireReader.Read(body)["Data"].AsBlob().ToArray());
    }

    [Fact]
    public void Cbor_record_data_as_base64_text_is_decoded()
    {
        // kinesis-mock sends Data as base64 text inside CBOR.
        var body = Cbor(w =>
        {
            w.WriteStartMap(1);
            w.WriteTextString("Data");
            w.WriteTextString(Convert.ToBase64String(new byte[] { 0, 1, 2, 255 }));
            w.WriteEndMap();
        });

        Assert.Equal(new byte[] { 0, 1, 2, 255 }, CborWireReader.Read(body)["Data"].AsBlob().ToArray());
    }

    [Fact]
    public void Timestamp_as_integer_epoch_milliseconds_is_read()
    {
        var body = Cbor(w =>
        {
            w.WriteStartMap(1);
            w.WriteTextString("T");
            w.WriteInt64(Arrival.ToUnixTimeMilliseconds());
            w.WriteEndMap();
        });

        Assert.Equal(Arrival, CborWireReader.Read(body)["T"].AsTimestamp());
    }

    [Fact]
    public void Timestamp_as_tagged_fractional_epoch_seconds_is_read()
    {
        var body = Cbor(w =>
        {
            w.WriteStartMap(1);
            w.WriteTextString("T");
            w.WriteTag(CborTag.UnixTimeSeconds);
            w.WriteDouble(Arrival.ToUnixTimeMilliseconds() / 1000.0);
            w.WriteEndMap();
        });

        Assert.Equal(Arrival, CborWireReader.Read(body)["T"].AsTimestamp());
    }

    [Fact]
    public void Timestamp_as_tagged_integer_epoch_seconds_is_read()
    {
        var body = Cbor(w =>
        {
            w.WriteStartMap(1);
            w.WriteTextString("T");
            w.WriteTag(CborTag.UnixTimeSeconds);
            w.WriteInt64(1_764_000_123);
            w.WriteEndMap();
        });

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_764_000_123), CborWireReader.Read(body)["T"].AsTimestamp());
    }

    [Fact]
    public void Json_timestamp_as_float_epoch_seconds_is_read()
    {
        var value = JsonWireReader.Read("{\"T\":1764000123.456}"u8);
        Assert.Equal(Arrival, value["T"].AsTimestamp());
    }

    [Fact]
    public void Indefinite_length_cbor_maps_and_strings_are_read()
    {
        var body = Cbor(
            w =>
            {
                w.WriteStartMap(null);
                w.WriteTextString("Name");
                w.WriteStartIndefiniteLengthTextString();
                w.WriteTextString("ab");
                w.WriteTextString("cd");
                w.WriteEndIndefiniteLengthTextString();
                w.WriteTextString("Items");
                w.WriteStartArray(null);
                w.WriteInt32(7);
                w.WriteEndArray();
                w.WriteEndMap();
            },
            CborConformanceMode.Lax);

        var value = CborWireReader.Read(body);
        Assert.Equal("abcd", value["Name"].AsString());
        Assert.Equal(7, value["Items"].Items.Single().AsInt64());
    }

    [Fact]
    public void Cbor_and_json_writers_produce_the_same_document()
    {
        var timestamp = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250);
        void Write(IWireWriter w)
        {
            w.WriteStartObject(4);
            w.WritePropertyName("Name");
            w.WriteString("s-1");
            w.WritePropertyName("Data");
            w.WriteBlob(Encoding.UTF8.GetBytes("hello"));
            w.WritePropertyName("Flags");
            w.WriteStartArray(2);
            w.WriteBoolean(true);
            w.WriteInt64(-42);
            w.WriteEndArray();
            w.WritePropertyName("At");
            w.WriteTimestamp(timestamp);
            w.WriteEndObject();
        }

        var cborBuffer = new System.Buffers.ArrayBufferWriter<byte>();
        Write(new CborBufferWriter(cborBuffer));
        var fromCbor = CborWireReader.Read(cborBuffer.WrittenMemory);

        // An independent decoder (System.Formats.Cbor, strict) accepts the hand-written bytes.
        var strict = new CborReader(cborBuffer.WrittenMemory, CborConformanceMode.Strict);
        strict.SkipValue();
        Assert.Equal(0, strict.BytesRemaining);

        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var json = new JsonWireWriter(buffer))
        {
            Write(json);
            json.Flush();
        }

        var fromJson = JsonWireReader.Read(buffer.WrittenSpan);

        foreach (var value in new[] { fromCbor, fromJson })
        {
            Assert.Equal("s-1", value["Name"].AsString());
            Assert.Equal("hello"u8.ToArray(), value["Data"].AsBlob().ToArray());
            Assert.True(value["Flags"].Items[0].AsBoolean());
            Assert.Equal(-42, value["Flags"].Items[1].AsInt64());
            Assert.Equal(timestamp, value["At"].AsTimestamp());
        }
    }

    [Fact]
    public void Cbor_writer_rejects_a_map_with_fewer_members_than_declared()
    {
        var writer = new CborBufferWriter(new System.Buffers.ArrayBufferWriter<byte>());
        writer.WriteStartObject(2);
        writer.WritePropertyName("A");
        writer.WriteString("x");
        Assert.Throws<InvalidOperationException>(writer.WriteEndObject);
    }

    [Fact]
    public void Cbor_writer_rejects_more_members_than_declared()
    {
        var writer = new CborBufferWriter(new System.Buffers.ArrayBufferWriter<byte>());
        writer.WriteStartArray(1);
        writer.WriteInt64(1);
        Assert.Throws<InvalidOperationException>(() => writer.WriteInt64(2));
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(23L)]
    [InlineData(24L)]
    [InlineData(255L)]
    [InlineData(256L)]
    [InlineData(65_535L)]
    [InlineData(65_536L)]
    [InlineData(4_294_967_295L)]
    [InlineData(4_294_967_296L)]
    [InlineData(long.MaxValue)]
    [InlineData(-1L)]
    [InlineData(-24L)]
    [InlineData(-25L)]
    [InlineData(-257L)]
    [InlineData(long.MinValue)]
    public void Cbor_integers_match_the_library_encoding(long value)
    {
        var ours = new System.Buffers.ArrayBufferWriter<byte>();
        new CborBufferWriter(ours).WriteInt64(value);
        var library = new CborWriter(CborConformanceMode.Strict);
        library.WriteInt64(value);
        Assert.Equal(library.Encode(), ours.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(23)]
    [InlineData(24)]
    [InlineData(300)]
    [InlineData(70_000)]
    public void Cbor_strings_and_blobs_match_the_library_encoding(int length)
    {
        var text = new string('é', length);
        var blob = new byte[length];
        new Random(length).NextBytes(blob);
        var ours = new System.Buffers.ArrayBufferWriter<byte>();
        var writer = new CborBufferWriter(ours);
        writer.WriteStartArray(4);
        writer.WriteString(text);
        writer.WriteBlob(blob);
        writer.WriteBoolean(true);
        writer.WriteTimestamp(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123));
        writer.WriteEndArray();

        var library = new CborWriter(CborConformanceMode.Strict);
        library.WriteStartArray(4);
        library.WriteTextString(text);
        library.WriteByteString(blob);
        library.WriteBoolean(true);
        library.WriteTag(CborTag.UnixTimeSeconds);
        library.WriteInt64(1_700_000_000_123);
        library.WriteEndArray();
        Assert.Equal(library.Encode(), ours.WrittenSpan.ToArray());
    }

    [Fact]
    public void Missing_properties_read_as_null()
    {
        var value = JsonWireReader.Read("{}"u8);
        Assert.True(value["Nope"].IsNull);
        Assert.Null(value["Nope"].AsString());
        Assert.Null(value["Nope"].AsTimestamp());
        Assert.Throws<WireFormatException>(() => value.RequiredString("Nope"));
    }

    [Theory]
    [InlineData("<html>oops</html>")]
    [InlineData("{\"a\":")]
    public void Malformed_json_becomes_a_wire_format_error(string body)
    {
        Assert.Throws<WireFormatException>(() => JsonWireReader.Read(Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Truncated_cbor_becomes_a_wire_format_error()
    {
        var body = Cbor(w =>
        {
            w.WriteStartMap(1);
            w.WriteTextString("Data");
            w.WriteByteString(new byte[50]);
            w.WriteEndMap();
        });

        Assert.Throws<WireFormatException>(() => CborWireReader.Read(body.AsMemory(0, body.Length - 10)));
    }

    private static byte[] Cbor(Action<CborWriter> write, CborConformanceMode mode = CborConformanceMode.Strict)
    {
        var writer = new CborWriter(mode);
        write(writer);
        return writer.Encode();
    }
}
