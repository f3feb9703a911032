namespace Kinesis.Clients.EventStream;

/// <summary>The value types of an <c>application/vnd.amazon.eventstream</c> header, by their wire code.</summary>
internal enum EventStreamHeaderType : byte
{
    /// <summary>Boolean <see langword="true"/>; no value bytes.</summary>
    BoolTrue = 0,

    /// <summary>Boolean <see langword="false"/>; no value bytes.</summary>
    BoolFalse = 1,

    /// <summary>A signed byte.</summary>
    Byte = 2,

    /// <summary>A big-endian signed 16-bit integer.</summary>
    Int16 = 3,

    /// <summary>A big-endian signed 32-bit integer.</summary>
    Int32 = 4,

    /// <summary>A big-endian signed 64-bit integer.</summary>
    Int64 = 5,

    /// <summary>Bytes: a big-endian 16-bit length, then the bytes.</summary>
    ByteArray = 6,

    /// <summary>UTF-8 text: a big-endian 16-bit length, then the bytes.</summary>
    String = 7,

    /// <summary>A big-endian signed 64-bit count of milliseconds since the Unix epoch.</summary>
    Timestamp = 8,

    /// <summary>A 16-byte UUID in network (big-endian) order.</summary>
    Uuid = 9,
}
