namespace Kinesis.Clients.Testing;

/// <summary>Sees one record a <see cref="KinesisLimitsProxy"/> accepted.</summary>
/// <param name="streamName">The stream.</param>
/// <param name="shardId">The shard the record went to.</param>
/// <param name="partitionKey">The record's partition key.</param>
/// <param name="explicitHashKey">The record's explicit hash key, or <see langword="null"/>.</param>
/// <param name="data">The record's data; valid only during the call.</param>
/// <param name="sequenceNumber">The sequence number the record was given.</param>
public delegate void AcceptedRecordHandler(
    string streamName,
    string shardId,
    string partitionKey,
    string? explicitHashKey,
    ReadOnlyMemory<byte> data,
    string sequenceNumber);
