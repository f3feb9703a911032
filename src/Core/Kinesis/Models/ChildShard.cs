using Kinesis.Clients.Records;

namespace Kinesis.Clients;

/// <summary>A shard that a closed shard's records continue in, reported when the reader reaches its end.</summary>
/// <param name="ShardId">The child shard.</param>
/// <param name="ParentShards">Its parents: one after a split, two after a merge.</param>
/// <param name="HashKeyRange">The hash keys the child owns, both ends inclusive.</param>
public sealed record ChildShard(string ShardId, IReadOnlyList<string> ParentShards, HashKeyRange HashKeyRange);
