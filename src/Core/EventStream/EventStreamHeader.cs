using System.Buffers.Binary;
using System.Text;

namespace Kinesis.Clients.EventStream;

/// <summary>One header of an event-stream message: a name, a type and the value bytes as they were on the wire.</summary>
/// <param name="Name">The header name, e.g. <c>:event-type</c>.</param>
/// <param name="Type">The value type.</param>
/// <param name="Value">
/// The value bytes without the type byte or length prefix: empty for booleans, big-endian for numbers and
/// timestamps, UTF-8 for strings.
/// </param>
internal readonly record struct EventStreamHeader(string Name, EventStreamHeaderType Type, ReadOnlyMemory<byte> Value)
{
    /// <summary>The value as text; only for <see cref="EventStreamHeaderType.String"/>.</summary>
    public string AsString() => Type == EventStreamHeaderType.String
        ? Encoding.UTF8.GetString(Value.Span)
        : throw WrongType("a string");

    /// <summary>The value as a boolean; only for the two boolean types.</summary>
    public bool AsBoolean() => Type switch
    {
        EventStreamHeaderType.BoolTrue => true,
        EventStreamHeaderType.BoolFalse => false,
        _ => throw WrongType("a boolean"),
    };

    /// <summary>The value of any of the four integer types, widened to 64 bits.</summary>
    public long AsInt64() => Type switch
    {
        EventStreamHeaderType.Byte => (sbyte)Value.Span[0],
        EventStreamHeaderType.Int16 => BinaryPrimitives.ReadInt16BigEndian(Value.Span),
        EventStreamHeaderType.Int32 => BinaryPrimitives.ReadInt32BigEndian(Value.Span),
        EventStreamHeaderType.Int64 => BinaryPrimitives.ReadInt64BigEndian(Value.Span),
        _ => throw WrongType("an integer"),
    };

    /// <summary>The value as bytes; only for <see cref="EventStreamHeaderType.ByteArray"/>.</summary>
    public ReadOnlyMemory<byte> AsBytes() => Type == EventStreamHeaderType.ByteArray ? Value : throw WrongType("bytes");

    /// <summary>The value as a point in time; only for <see cref="EventStreamHeaderType.Timestamp"/>.</summary>
    public DateTimeOffset AsTimestamp() => Type == EventStreamHeaderType.Timestamp
        ? DateTimeOffset.FromUnixTimeMilliseconds(BinaryPrimitives.ReadInt64BigEndian(Value.Span))
        : throw WrongType("a timestamp");

    /// <summary>The value as a UUID; only for <see cref="EventStreamHeaderType.Uuid"/>.</summary>
    public Guid AsUuid() => Type == EventStreamHeaderType.Uuid
        ? new Guid(Value.Span, bigEndian: true)
        : throw WrongType("a UUID");

    private InvalidOperationException WrongType(string wanted) =>
        new($"Event-stream header '{Name}' is of type {Type}, not {wanted}.");
}
