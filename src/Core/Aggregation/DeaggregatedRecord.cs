namespace Kinesis.Clients.Aggregation;

/// <summary>A user record recovered from a Kinesis record, which may or may not have been a KPL aggregate.</summary>
/// <remarks>
/// <see cref="Data"/> is a slice of the Kinesis record's data (or of its decoded payload when the record was in a
/// <see cref="RecordCodec"/> envelope), not a copy: it stays valid as long as that memory does.
/// </remarks>
public readonly struct DeaggregatedRecord
{
    /// <summary>Creates a user record.</summary>
    /// <param name="partitionKey">The user record's partition key.</param>
    /// <param name="explicitHashKey">The user record's explicit hash key, or <see langword="null"/>.</param>
    /// <param name="data">The user record's data.</param>
    /// <param name="subSequenceNumber">The index of the user record within its Kinesis record.</param>
    /// <param name="isAggregated">Whether the Kinesis record was a KPL aggregate.</param>
    public DeaggregatedRecord(
        string partitionKey,
        string? explicitHashKey,
        ReadOnlyMemory<byte> data,
        long subSequenceNumber,
        bool isAggregated)
    {
        PartitionKey = partitionKey;
        ExplicitHashKey = explicitHashKey;
        Data = data;
        SubSequenceNumber = subSequenceNumber;
        IsAggregated = isAggregated;
    }

    /// <summary>
    /// The user record's partition key: from the aggregate's key table, or the Kinesis record's own when it
    /// was not an aggregate.
    /// </summary>
    public string PartitionKey { get; }

    /// <summary>The user record's explicit hash key from the aggregate, or <see langword="null"/>.</summary>
    /// <remarks>Kinesis does not return a plain record's explicit hash key, so a pass-through record has none.</remarks>
    public string? ExplicitHashKey { get; }

    /// <summary>The user record's data.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>
    /// The user record's index within its Kinesis record, counted from 0: the KCL's sub-sequence number, which
    /// checkpoints carry with the sequence number. Always 0 for a record that was not an aggregate.
    /// </summary>
    public long SubSequenceNumber { get; }

    /// <summary>Whether the Kinesis record was a KPL aggregate (even one holding a single user record).</summary>
    public bool IsAggregated { get; }
}
