namespace Kinesis.Clients.Wire;

/// <summary>The kinds of value a decoded AWS JSON or CBOR body can hold.</summary>
internal enum WireKind
{
    Null,
    Boolean,
    Integer,
    Float,
    Text,
    Bytes,
    Array,
    Map,
    Timestamp,
}
