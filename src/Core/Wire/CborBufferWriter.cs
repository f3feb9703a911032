using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using Kinesis.Clients.Buffers;

namespace Kinesis.Clients.Wire;

/// <summary>
/// AWS CBOR 1.1 body writer straight into a caller's <see cref="IBufferWriter{T}"/> (a pooled buffer).
/// System.Formats.Cbor's writer keeps its own growing buffer and copies it out at the end; for 5 MiB
/// PutRecords bodies that was two large allocations and a copy per request, most of the producer's garbage.
/// Only the handful of CBOR items requests use are written; reading still uses System.Formats.Cbor.
/// Declared map and array sizes are checked, as the library's writer does.
/// </summary>
internal sealed class CborBufferWriter : IWireWriter
{
    private const byte MajorUnsigned = 0 << 5;
    private const byte MajorNegative = 1 << 5;
    private const byte MajorBytes = 2 << 5;
    private const byte MajorText = 3 << 5;
    private const byte MajorArray = 4 << 5;
    private const byte MajorMap = 5 << 5;
    private const byte MajorTag = 6 << 5;

    private readonly IBufferWriter<byte> _output;
    private readonly Stack<int> _remaining = new();

    public CborBufferWriter(IBufferWriter<byte> output)
    {
        _output = output;
    }

    public void WriteStartObject(int propertyCount)
    {
        Item();
        Head(MajorMap, (ulong)propertyCount);
        _remaining.Push(propertyCount * 2);
    }

    public void WriteEndObject() => End("map");

    public void WriteStartArray(int itemCount)
    {
        Item();
        Head(MajorArray, (ulong)itemCount);
        _remaining.Push(itemCount);
    }

    public void WriteEndArray() => End("array");

    public void WritePropertyName(string name) => WriteString(name);

    public void WriteString(string value)
    {
        Item();
        var length = Encoding.UTF8.GetByteCount(value);
        Head(MajorText, (ulong)length);
        var span = _output.GetSpan(length);
        Encoding.UTF8.GetBytes(value, span);
        _output.Advance(length);
    }

    public void WriteInt64(long value)
    {
        Item();
        if (value >= 0)
        {
            Head(MajorUnsigned, (ulong)value);
        }
        else
        {
            Head(MajorNegative, (ulong)(-1 - value));
        }
    }

    public void WriteBoolean(bool value)
    {
        Item();
        var span = _output.GetSpan(1);
        span[0] = value ? (byte)0xF5 : (byte)0xF4;
        _output.Advance(1);
    }

    public void WriteBlob(ReadOnlySpan<byte> value)
    {
        Item();
        Head(MajorBytes, (ulong)value.Length);
        if (value.Length > 0)
        {
            value.CopyTo(_output.GetSpan(value.Length));
            _output.Advance(value.Length);
        }
    }

    public void WriteBlob(ReadOnlyMemory<byte> value)
    {
        if (value.Length < GatherBufferWriter.MinBorrowLength || _output is not GatherBufferWriter gather)
        {
            WriteBlob(value.Span);
            return;
        }

        Item();
        Head(MajorBytes, (ulong)value.Length);
        gather.Borrow(value);
    }

    public void WriteTimestamp(DateTimeOffset value)
    {
        // AWS CBOR 1.1 sends tag 1 with integer epoch *milliseconds* (not RFC 8949 seconds);
        // Kinesis engines reject a fractional value here.
        Item();
        Head(MajorTag, 1);
        var millis = value.ToUnixTimeMilliseconds();
        _remaining.Push(1);
        WriteInt64(millis);
        _remaining.Pop();
    }

    private void Item()
    {
        if (_remaining.Count == 0)
        {
            return;
        }

        var left = _remaining.Pop();
        if (left == 0)
        {
            throw new InvalidOperationException("More items written than the enclosing CBOR map or array declared.");
        }

        _remaining.Push(left - 1);
    }

    private void End(string kind)
    {
        if (_remaining.Count == 0 || _remaining.Peek() != 0)
        {
            throw new InvalidOperationException($"The CBOR {kind} ends with {(_remaining.Count == 0 ? "nothing open" : $"{_remaining.Peek()} declared items missing")}.");
        }

        _remaining.Pop();
    }

    private void Head(byte major, ulong argument)
    {
        var span = _output.GetSpan(9);
        int written;
        if (argument < 24)
        {
            span[0] = (byte)(major | (byte)argument);
            written = 1;
        }
        else if (argument <= byte.MaxValue)
        {
            span[0] = (byte)(major | 24);
            span[1] = (byte)argument;
            written = 2;
        }
        else if (argument <= ushort.MaxValue)
        {
            span[0] = (byte)(major | 25);
            BinaryPrimitives.WriteUInt16BigEndian(span[1..], (ushort)argument);
            written = 3;
        }
        else if (argument <= uint.MaxValue)
        {
            span[0] = (byte)(major | 26);
            BinaryPrimitives.WriteUInt32BigEndian(span[1..], (uint)argument);
            written = 5;
        }
        else
        {
            span[0] = (byte)(major | 27);
            BinaryPrimitives.WriteUInt64BigEndian(span[1..], argument);
            written = 9;
        }

        _output.Advance(written);
    }
}
