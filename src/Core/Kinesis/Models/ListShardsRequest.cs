namespace Kinesis.Clients;

/// <summary>One page request of ListShards. Give a stream (name or ARN) or a <see cref="NextToken"/>.</summary>
public sealed record ListShardsRequest
{
    /// <summary>The stream name; not sent together with <see cref="NextToken"/>.</summary>
    public string? StreamName { get; init; }

    /// <summary>The stream ARN, instead of the name.</summary>
    public string? StreamArn { get; init; }

    /// <summary>The token from the previous page; the other fields are then left out, as the API requires.</summary>
    public string? NextToken { get; init; }

    /// <summary>Shards after this shard id.</summary>
    public string? ExclusiveStartShardId { get; init; }

    /// <summary>Page size, 1 to 10,000 (the service default is 1,000).</summary>
    public int? MaxResults { get; init; }

    /// <summary>Which shards to return.</summary>
    public ShardFilter? ShardFilter { get; init; }
}
