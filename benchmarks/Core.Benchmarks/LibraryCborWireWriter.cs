using System.Formats.Cbor;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Benchmarks;

/// <summary>The same body written with System.Formats.Cbor's writer, kept to compare against <see cref="CborBufferWriter"/>.</summary>
internal sealed class LibraryCborWireWriter : IWireWriter
{
    private readonly CborWriter _writer;

    public LibraryCborWireWriter(CborWriter writer)
    {
        _writer = writer;
    }

    public void WriteStartObject(int propertyCount) => _writer.WriteStartMap(propertyCount);

    public void WriteEndObject() => _writer.WriteEndMap();

    public void WriteStartArray(int itemCount) => _writer.WriteStartArray(itemCount);

    public void WriteEndArray() => _writer.WriteEndArray();

    public void WritePropertyName(string name) => _writer.WriteTextString(name);

    public void WriteString(string value) => _writer.WriteTextString(value);

    public void WriteInt64(long value) => _writer.WriteInt64(value);

    public void WriteBoolean(bool value) => _writer.WriteBoolean(value);

    public void WriteBlob(ReadOnlySpan<byte> value) => _writer.WriteByteString(value);

    public void WriteBlob(ReadOnlyMemory<byte> value) => WriteBlob(value.Span);

    public void WriteTimestamp(DateTimeOffset value)
    {
        // AWS CBOR 1.1 sends tag 1 with integer epoch *milliseconds* (not RFC 8949 seconds);
        // Kinesis engines reject a fractional value here.
        _writer.WriteTag(CborTag.UnixTimeSeconds);
        _writer.WriteInt64(value.ToUnixTimeMilliseconds());
    }
}
