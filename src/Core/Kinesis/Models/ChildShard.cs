namespace Kinesis.Clients;

/// <summary>A shard that a closed shard's records continue in, reported when the reader reaches its end.</summary>
/// <param name="ShardId">The child shard.</param>
/// <param name="ParentShards">Its parents: one after a split, two after a merge.</param>
/// <param name="StartingHashKey">The lowest hash key the child owns.</param>
/// <param name="EndingHashKey">The highest hash key the child owns.</param>
public sealed record ChildShard(string ShardId, IReadOnlyList<string> ParentShards, UInt128 StartingHashKey, UInt128 EndingHashKey);
