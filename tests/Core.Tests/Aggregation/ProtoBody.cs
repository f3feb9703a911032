using Google.Protobuf;

namespace Kinesis.Clients.Tests.Aggregation;

/// <summary>
/// Writes arbitrary protobuf with Google.Protobuf's own encoder, to craft aggregates the builder would never
/// produce: unknown fields, groups, odd field orders, missing or out-of-range values.
/// </summary>
internal sealed class ProtoBody
{
    private readonly MemoryStream _stream = new();
    private readonly CodedOutputStream _output;

    public ProtoBody() => _output = new CodedOutputStream(_stream, leaveOpen: true);

    public ProtoBody Varint(int field, ulong value)
    {
        _output.WriteTag(field, WireFormat.WireType.Varint);
        _output.WriteUInt64(value);
        return this;
    }

    public ProtoBody Text(int field, string value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteString(value);
        return this;
    }

    public ProtoBody Bytes(int field, byte[] value)
    {
        _output.WriteTag(field, WireFormat.WireType.LengthDelimited);
        _output.WriteBytes(ByteString.CopyFrom(value));
        return this;
    }

    public ProtoBody Message(int field, ProtoBody inner) => Bytes(field, inner.ToArray());

    public ProtoBody Fixed32(int field, uint value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed32);
        _output.WriteFixed32(value);
        return this;
    }

    public ProtoBody Fixed64(int field, ulong value)
    {
        _output.WriteTag(field, WireFormat.WireType.Fixed64);
        _output.WriteFixed64(value);
        return this;
    }

    public ProtoBody Group(int field, ProtoBody inner)
    {
        _output.WriteTag(field, WireFormat.WireType.StartGroup);
        Raw(inner.ToArray());
        _output.WriteTag(field, WireFormat.WireType.EndGroup);
        return this;
    }

    public ProtoBody Raw(params byte[] bytes)
    {
        _output.Flush();
        _stream.Write(bytes);
        return this;
    }

    public byte[] ToArray()
    {
        _output.Flush();
        return _stream.ToArray();
    }

    /// <summary>A Record message with the given partition key index, optional explicit hash key index and data.</summary>
    public static ProtoBody Record(ulong partitionKeyIndex, string data, ulong? explicitHashKeyIndex = null)
    {
        var record = new ProtoBody().Varint(1, partitionKeyIndex);
        if (explicitHashKeyIndex is { } index)
        {
            record.Varint(2, index);
        }

        return record.Bytes(3, System.Text.Encoding.UTF8.GetBytes(data));
    }
}
