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
}
