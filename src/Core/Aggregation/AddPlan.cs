namespace Kinesis.Clients.Aggregation;

/// <summary>
/// What adding one record to an <see cref="AggregateBuilder"/> would take: table lookups and exact sizes, computed
/// once so that the size check and the write agree and nothing is encoded for a record that does not fit.
/// </summary>
internal struct AddPlan
{
    public bool PartitionKeyFound;
    public int PartitionKeyIndex;
    public int PartitionKeyUtf8Length;
    public long PartitionKeyEntrySize;
    public bool ExplicitHashKeyFound;
    public int ExplicitHashKeyIndex;
    public int ExplicitHashKeyUtf8Length;
    public long ExplicitHashKeyEntrySize;
    public long RecordLength;
    public long AddedSize;

    /// <summary>What a run adds: the key table entries once, then one record entry per length (key indexes as planned).</summary>
    // dataLength: what the lengths must add up to, or null when there is no data to check them against.
    public readonly long RunSize(bool hasExplicitHashKey, long? dataLength, ReadOnlySpan<int> lengths)
    {
        long added = PartitionKeyEntrySize + ExplicitHashKeyEntrySize;
        long sum = 0;
        foreach (var length in lengths)
        {
            if (length < 0)
            {
                throw new ArgumentException($"Record lengths must not be negative; found {length}.", nameof(lengths));
            }

            sum += length;
            added += ProtoWriter.LengthDelimitedSize(RecordLengthWith(hasExplicitHashKey, length));
        }

        return dataLength is { } expected && sum != expected
            ? throw new ArgumentException($"The record lengths add up to {sum} bytes but the data has {dataLength}.", nameof(lengths))
            : added;
    }

    /// <summary>The length of one record entry's body with these key indexes.</summary>
    public readonly long RecordLengthWith(bool hasExplicitHashKey, int dataLength) =>
        ProtoWriter.VarintFieldSize((ulong)PartitionKeyIndex)
        + ProtoWriter.LengthDelimitedSize(dataLength)
        + (hasExplicitHashKey ? ProtoWriter.VarintFieldSize((ulong)ExplicitHashKeyIndex) : 0);
}
