namespace Kinesis.Clients.Consumer;

/// <summary>
/// One user record as a record processor receives it: a plain Kinesis record, or one sub-record of a KPL
/// aggregate, with the position a checkpoint names it by.
/// </summary>
/// <remarks>
/// <see cref="Data"/> is a slice of the Kinesis record that carried it, not a copy; it stays valid as long as
/// the record is referenced. Copy it if you keep it beyond processing and care about holding the whole page.
/// </remarks>
public sealed class ConsumerRecord
{
    /// <summary>Creates a record, e.g. to test a record processor.</summary>
    /// <param name="sequenceNumber">The sequence number of the Kinesis record that carried it.</param>
    /// <param name="subSequenceNumber">Its index inside that Kinesis record; 0 for a plain record.</param>
    /// <param name="partitionKey">The user record's partition key.</param>
    /// <param name="explicitHashKey">The user record's explicit hash key from the aggregate, or <see langword="null"/>.</param>
    /// <param name="approximateArrivalTimestamp">When Kinesis took the Kinesis record that carried it.</param>
    /// <param name="data">The user record's data.</param>
    /// <param name="isAggregated">Whether it came out of a KPL aggregate.</param>
    /// <exception cref="ArgumentException">The sequence number or partition key is empty, or the sub-sequence number is negative.</exception>
    public ConsumerRecord(
        string sequenceNumber,
        long subSequenceNumber,
        string partitionKey,
        string? explicitHashKey,
        DateTimeOffset approximateArrivalTimestamp,
        ReadOnlyMemory<byte> data,
        bool isAggregated)
    {
        ArgumentException.ThrowIfNullOrEmpty(sequenceNumber);
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfNegative(subSequenceNumber);
        SequenceNumber = sequenceNumber;
        SubSequenceNumber = subSequenceNumber;
        PartitionKey = partitionKey;
        ExplicitHashKey = explicitHashKey;
        ApproximateArrivalTimestamp = approximateArrivalTimestamp;
        Data = data;
        IsAggregated = isAggregated;
    }

    /// <summary>The sequence number of the Kinesis record that carried this record (shared by every sub-record of an aggregate).</summary>
    public string SequenceNumber { get; }

    /// <summary>
    /// The record's index inside its Kinesis record, from 0; always 0 for a plain record. With
    /// <see cref="SequenceNumber"/> it makes the KCL's extended sequence number that checkpoints store.
    /// </summary>
    public long SubSequenceNumber { get; }

    /// <summary>The user record's partition key (not the aggregate's <c>"a"</c>).</summary>
    public string PartitionKey { get; }

    /// <summary>
    /// The user record's explicit hash key, when the aggregate carried one; <see langword="null"/> otherwise,
    /// and always for a plain record (Kinesis does not return it).
    /// </summary>
    public string? ExplicitHashKey { get; }

    /// <summary>
    /// When Kinesis took the Kinesis record that carried this record. The service always reports it; an endpoint
    /// that does not leaves <see langword="default"/>.
    /// </summary>
    public DateTimeOffset ApproximateArrivalTimestamp { get; }

    /// <summary>The user record's data.</summary>
    public ReadOnlyMemory<byte> Data { get; }

    /// <summary>Whether the record came out of a KPL aggregate (even one holding a single record).</summary>
    public bool IsAggregated { get; }

    /// <summary>
    /// Why the Kinesis record's envelope could not be opened (damaged, of an unknown kind, or encrypted and not
    /// decryptable: KMS refused its data key, or it does not authenticate); <see langword="null"/> for a record
    /// delivered as written. A failed encrypted record has empty <see cref="Data"/>: ciphertext is never handed
    /// on as data. It still has its position, so it can be checkpointed past or set aside.
    /// </summary>
    public string? DecodeFailure { get; init; }

    /// <summary>The record's position, <c>sequence/sub-sequence</c>; never its key or data.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"{SequenceNumber}/{SubSequenceNumber}";
}
