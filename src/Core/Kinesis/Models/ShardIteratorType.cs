namespace Kinesis.Clients;

/// <summary>Where in a shard a shard iterator starts.</summary>
public enum ShardIteratorType
{
    /// <summary>At the given sequence number.</summary>
    AtSequenceNumber,

    /// <summary>Right after the given sequence number.</summary>
    AfterSequenceNumber,

    /// <summary>At the oldest record still retained.</summary>
    TrimHorizon,

    /// <summary>After the newest record: only records put from now on.</summary>
    Latest,

    /// <summary>At the first record that arrived at or after the given time.</summary>
    AtTimestamp,
}

/// <summary>The API's names of <see cref="ShardIteratorType"/>, for every request that carries one.</summary>
internal static class ShardIteratorTypeNames
{
    /// <summary>The name on the wire, e.g. <c>AFTER_SEQUENCE_NUMBER</c>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="type"/> is not a defined value.</exception>
    public static string ToWireName(this ShardIteratorType type) => type switch
    {
        ShardIteratorType.AtSequenceNumber => "AT_SEQUENCE_NUMBER",
        ShardIteratorType.AfterSequenceNumber => "AFTER_SEQUENCE_NUMBER",
        ShardIteratorType.TrimHorizon => "TRIM_HORIZON",
        ShardIteratorType.Latest => "LATEST",
        ShardIteratorType.AtTimestamp => "AT_TIMESTAMP",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Unknown shard iterator type."),
    };
}
