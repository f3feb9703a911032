namespace Kinesis.Clients;

/// <summary>One record of a PutRecords request.</summary>
/// <param name="PartitionKey">1 to 256 Unicode characters; its MD5 picks the shard.</param>
/// <param name="Data">The record data.</param>
/// <param name="ExplicitHashKey">A decimal hash key in [0, 2^128-1] that overrides the partition key's hash.</param>
public readonly record struct PutRecordsEntry(string PartitionKey, ReadOnlyMemory<byte> Data, string? ExplicitHashKey = null);
