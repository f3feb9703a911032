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
