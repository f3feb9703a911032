namespace Kinesis.Clients;

/// <summary>A GetShardIterator call.</summary>
public sealed record GetShardIteratorRequest
{
    /// <summary>The stream name (or give <see cref="StreamArn"/>).</summary>
    public string? StreamName { get; init; }

    /// <summary>The stream ARN, instead of the name.</summary>
    public string? StreamArn { get; init; }

    /// <summary>The shard to read.</summary>
    public required string ShardId { get; init; }

    /// <summary>Where to start.</summary>
    public required ShardIteratorType IteratorType { get; init; }

    /// <summary>For the sequence-number positions.</summary>
    public string? StartingSequenceNumber { get; init; }

    /// <summary>For <see cref="ShardIteratorType.AtTimestamp"/>.</summary>
    public DateTimeOffset? Timestamp { get; init; }
}
