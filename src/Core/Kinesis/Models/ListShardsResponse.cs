namespace Kinesis.Clients;

/// <summary>One page of ListShards.</summary>
/// <param name="Shards">The shards on this page.</param>
/// <param name="NextToken">The token for the next page, or <see langword="null"/> on the last.</param>
public sealed record ListShardsResponse(IReadOnlyList<Shard> Shards, string? NextToken);
