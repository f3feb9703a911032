namespace Kinesis.Clients.Aggregation;

/// <summary>
/// A forward-only protobuf reader over a span that reports malformed input by returning <see langword="false"/>
/// instead of throwing, so deaggregation can fall back to pass-through without exceptions on the hot path.
/// </summary>
internal ref struct ProtoReader(ReadOnlySpan<byte> buffer)
{
    public const int WireVarint = 0;
    public const int WireFixed64 = 1;
    public const int WireLengthDelimited = 2;
    public const int WireStartGroup = 3;
    public const int WireEndGroup = 4;
    public const int WireFixed32 = 5;

    // Google.Protobuf's default recursion limit; groups are the only nesting this reader follows.
    private const int MaxGroupDepth = 100;

    private readonly ReadOnlySpan<byte> _buffer = buffer;
    private int _position;

    public readonly bool End => _position >= _buffer.Length;

    // Tags and lengths are 32-bit varints: like protobuf-java (which the KCL uses) and Google.Protobuf, take the
    // low 32 bits of an over-long encoding, so this reader accepts exactly what the KCL accepts.
    public bool TryReadTag(out int fieldNumber, out int wireType)
    {
        fieldNumber = 0;
        wireType = 0;
        if (!TryReadVarint(out var value))
        {
            return false;
        }

        var tag = (uint)value;
        fieldNumber = (int)(tag >> 3);
        wireType = (int)(tag & 7);
        return fieldNumber > 0 && wireType <= WireFixed32;
    }

    // Bits past 64 in a 10-byte varint are dropped, as protobuf-java and Google.Protobuf do.
    public bool TryReadVarint(out ulong value)
    {
        value = 0;
        for (var shift = 0; shift < 70; shift += 7)
        {
            if (_position >= _buffer.Length)
            {
                return false;
            }

            var b = _buffer[_position++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reads a length-delimited payload, giving its offset and length within the buffer.</summary>
    public bool TryReadLengthDelimited(out int offset, out int length)
    {
        offset = 0;
        length = 0;
        if (!TryReadVarint(out var value))
        {
            return false;
        }

        var size = (int)(uint)value;
        if (size < 0 || size > _buffer.Length - _position)
        {
            return false;
        }

        offset = _position;
        length = size;
        _position += length;
        return true;
    }

    /// <summary>Skips the value of a field whose tag was just read.</summary>
    public bool TrySkip(int fieldNumber, int wireType) => TrySkip(fieldNumber, wireType, 0);

    private bool TrySkip(int fieldNumber, int wireType, int depth)
    {
        switch (wireType)
        {
            case WireVarint:
                return TryReadVarint(out _);
            case WireFixed64:
                return TryAdvance(8);
            case WireFixed32:
                return TryAdvance(4);
            case WireLengthDelimited:
                return TryReadLengthDelimited(out _, out _);
            case WireStartGroup:
                if (depth >= MaxGroupDepth)
                {
                    return false;
                }

                while (TryReadTag(out var innerField, out var innerWire))
                {
                    if (innerWire == WireEndGroup)
                    {
                        return innerField == fieldNumber;
                    }

                    if (!TrySkip(innerField, innerWire, depth + 1))
                    {
                        return false;
                    }
                }

                return false;
            default:
                // An end-group tag with no open group.
                return false;
        }
    }

    private bool TryAdvance(int count)
    {
        if (_buffer.Length - _position < count)
        {
            return false;
        }

        _position += count;
        return true;
    }
}
