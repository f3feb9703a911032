namespace Kinesis.Clients;

/// <summary>The ListShards filter kinds.</summary>
public enum ShardFilterType
{
    /// <summary>Shards after the given shard id.</summary>
    AfterShardId,

    /// <summary>Shards open at the trim horizon.</summary>
    AtTrimHorizon,

    /// <summary>All shards from the trim horizon on, open and closed.</summary>
    FromTrimHorizon,

    /// <summary>The open shards.</summary>
    AtLatest,

    /// <summary>Shards open at the given time.</summary>
    AtTimestamp,

    /// <summary>Shards open at or after the given time.</summary>
    FromTimestamp,
}
