namespace Kinesis.Clients;

/// <summary>Restricts which shards ListShards returns.</summary>
/// <param name="Type">Which shards to return.</param>
/// <param name="ShardId">The shard for <see cref="ShardFilterType.AfterShardId"/>.</param>
/// <param name="Timestamp">The time for the <c>AtTimestamp</c> / <c>FromTimestamp</c> filters.</param>
public sealed record ShardFilter(ShardFilterType Type, string? ShardId = null, DateTimeOffset? Timestamp = null);
