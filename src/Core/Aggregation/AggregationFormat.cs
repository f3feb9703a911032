namespace Kinesis.Clients.Aggregation;

/// <summary>Constants of the KPL aggregation format: <c>magic + AggregatedRecord protobuf + MD5(protobuf)</c>.</summary>
internal static class AggregationFormat
{
    /// <summary>Length of the magic prefix.</summary>
    public const int MagicLength = 4;

    /// <summary>Length of the trailing MD5 digest of the protobuf body.</summary>
    public const int DigestLength = 16;

    /// <summary>Bytes an aggregate adds around its protobuf body: magic and digest.</summary>
    public const int Overhead = MagicLength + DigestLength;

    // Field numbers of AggregatedRecord (Messages.proto).
    public const int PartitionKeyTableField = 1;
    public const int ExplicitHashKeyTableField = 2;
    public const int RecordsField = 3;

    // Field numbers of Record.
    public const int PartitionKeyIndexField = 1;
    public const int ExplicitHashKeyIndexField = 2;
    public const int DataField = 3;

    // Tags are (field number << 3) | wire type; wire type 2 is length-delimited, 0 is varint.
    public const byte PartitionKeyTableTag = 0x0A;
    public const byte ExplicitHashKeyTableTag = 0x12;
    public const byte RecordTag = 0x1A;
    public const byte PartitionKeyIndexTag = 0x08;
    public const byte ExplicitHashKeyIndexTag = 0x10;
    public const byte DataTag = 0x1A;

    /// <summary>The magic prefix the KPL writes and the KCL looks for.</summary>
    public static ReadOnlySpan<byte> Magic => [0xF3, 0x89, 0x9A, 0xC2];
}
