namespace Kinesis.Clients;

/// <summary>A single record for PutRecord.</summary>
public sealed record PutRecordRequest
{
    /// <summary>The stream name (or give <see cref="StreamArn"/>).</summary>
    public string? StreamName { get; init; }

    /// <summary>The stream ARN, instead of the name.</summary>
    public string? StreamArn { get; init; }

    /// <summary>The partition key: 1 to 256 Unicode characters; its MD5 picks the shard.</summary>
    public required string PartitionKey { get; init; }

    /// <summary>The record data; with the partition key at most the configured record size (1 MiB by default).</summary>
    public required ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>A decimal hash key in [0, 2^128-1] that overrides the partition key's hash.</summary>
    public string? ExplicitHashKey { get; init; }

    /// <summary>Orders this record strictly after the record with this sequence number.</summary>
    public string? SequenceNumberForOrdering { get; init; }
}
