using Google.Protobuf;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// The few protobuf encoding steps the aggregation format needs, written straight into spans. Sizes come from
/// Google.Protobuf's <see cref="CodedOutputStream"/> so they agree with its encoder by construction.
/// </summary>
internal static class ProtoWriter
{
    /// <summary>Size of a length-delimited field with a one-byte tag and a payload of <paramref name="length"/> bytes.</summary>
    public static long LengthDelimitedSize(long length) =>
        1 + CodedOutputStream.ComputeRawVarint64Size((ulong)length) + length;

    /// <summary>Size of a varint field with a one-byte tag.</summary>
    public static int VarintFieldSize(ulong value) => 1 + CodedOutputStream.ComputeUInt64Size(value);

    /// <summary>Writes a varint and returns the bytes written.</summary>
    public static int WriteVarint(Span<byte> destination, ulong value)
    {
        var i = 0;
        while (value >= 0x80)
        {
            destination[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        destination[i++] = (byte)value;
        return i;
    }
}
