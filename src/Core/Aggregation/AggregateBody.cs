using System.Buffers;
using Kinesis.Clients.Buffers;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// The <c>AggregatedRecord</c> protobuf of an <see cref="AggregateBuilder"/> as it grows: the partition key table,
/// the explicit hash key table and the records, each kept already encoded so writing the body is three copies.
/// </summary>
/// <remarks>
/// Fields come out in field-number order (all partition keys, all explicit hash keys, then the records), as
/// Google.Protobuf and the KPL write them.
/// </remarks>
internal sealed class AggregateBody : IDisposable
{
    // The records buffers of released builders: a producer seals and refills hundreds of aggregates at once, more
    // arrays of one size than the shared pool keeps, and every one it dropped was a fresh 64 KiB array.
    private static readonly ArrayPool<byte> RecordBuffers = ArrayPool<byte>.Create(1024 * 1024, 1024);

    private readonly KeyTable _partitionKeys = new(AggregationFormat.PartitionKeyTableTag);
    private readonly KeyTable _explicitHashKeys = new(AggregationFormat.ExplicitHashKeyTableTag);
    private readonly PooledBufferWriter _records;

    /// <param name="initialRecordsCapacity">What the records buffer rents first.</param>
    public AggregateBody(int initialRecordsCapacity) =>
        _records = new PooledBufferWriter(initialRecordsCapacity, RecordBuffers);

    /// <summary>The body's encoded length in bytes.</summary>
    public int Length => _partitionKeys.Encoded.Length + _explicitHashKeys.Encoded.Length + _records.WrittenCount;

    /// <summary>Data written by <see cref="AddRecord"/>, by the offset it returned.</summary>
    public ReadOnlySpan<byte> Data(int offset, int length) => _records.WrittenSpan.Slice(offset, length);

    /// <summary>What adding a record with these keys and data length would take; changes nothing.</summary>
    public AddPlan Plan(string partitionKey, string? explicitHashKey, int dataLength)
    {
        var plan = default(AddPlan);
        plan.PartitionKeyFound = _partitionKeys.TryFind(
            partitionKey, out plan.PartitionKeyIndex, out plan.PartitionKeyUtf8Length, out plan.PartitionKeyEntrySize);
        var recordLength = ProtoWriter.VarintFieldSize((ulong)plan.PartitionKeyIndex)
            + ProtoWriter.LengthDelimitedSize(dataLength);
        if (explicitHashKey is not null)
        {
            plan.ExplicitHashKeyFound = _explicitHashKeys.TryFind(
                explicitHashKey, out plan.ExplicitHashKeyIndex, out plan.ExplicitHashKeyUtf8Length, out plan.ExplicitHashKeyEntrySize);
            recordLength += ProtoWriter.VarintFieldSize((ulong)plan.ExplicitHashKeyIndex);
        }

        plan.RecordLength = recordLength;
        plan.AddedSize = plan.PartitionKeyEntrySize + plan.ExplicitHashKeyEntrySize + ProtoWriter.LengthDelimitedSize(recordLength);
        return plan;
    }

    /// <summary>Adds the keys of a <see cref="Plan"/> that are not in their tables yet.</summary>
    public void AddKeys(in AddPlan plan, string partitionKey, string? explicitHashKey)
    {
        if (!plan.PartitionKeyFound)
        {
            _partitionKeys.Add(partitionKey, plan.PartitionKeyUtf8Length, plan.PartitionKeyEntrySize);
        }

        if (explicitHashKey is not null && !plan.ExplicitHashKeyFound)
        {
            _explicitHashKeys.Add(explicitHashKey, plan.ExplicitHashKeyUtf8Length, plan.ExplicitHashKeyEntrySize);
        }
    }

    /// <summary>Appends one record entry with the plan's key indexes and length.</summary>
    /// <returns>Where its data starts among the records, for <see cref="Data"/>.</returns>
    // Field order inside a record follows field numbers (1, 2, 3), as Google.Protobuf and the KPL write it.
    public int AddRecord(in AddPlan plan, bool hasExplicitHashKey, ReadOnlySpan<byte> data)
    {
        var span = _records.GetSpan((int)ProtoWriter.LengthDelimitedSize(plan.RecordLength));
        span[0] = AggregationFormat.RecordTag;
        var i = 1 + ProtoWriter.WriteVarint(span[1..], (ulong)plan.RecordLength);
        span[i++] = AggregationFormat.PartitionKeyIndexTag;
        i += ProtoWriter.WriteVarint(span[i..], (ulong)plan.PartitionKeyIndex);
        if (hasExplicitHashKey)
        {
            span[i++] = AggregationFormat.ExplicitHashKeyIndexTag;
            i += ProtoWriter.WriteVarint(span[i..], (ulong)plan.ExplicitHashKeyIndex);
        }

        span[i++] = AggregationFormat.DataTag;
        i += ProtoWriter.WriteVarint(span[i..], (ulong)data.Length);
        var dataOffset = _records.WrittenCount + i;
        data.CopyTo(span[i..]);
        _records.Advance(i + data.Length);
        return dataOffset;
    }

    /// <summary>Copies the body into <paramref name="destination"/>, which holds at least <see cref="Length"/> bytes.</summary>
    public void CopyTo(Span<byte> destination)
    {
        var pk = _partitionKeys.Encoded;
        var ehk = _explicitHashKeys.Encoded;
        pk.CopyTo(destination);
        ehk.CopyTo(destination[pk.Length..]);
        _records.WrittenSpan.CopyTo(destination[(pk.Length + ehk.Length)..]);
    }

    /// <summary>Empties the body, keeping its buffers.</summary>
    public void Clear()
    {
        _partitionKeys.Clear();
        _explicitHashKeys.Clear();
        _records.Clear();
    }

    /// <summary>Empties the body and returns the records buffer (the big one) to the pool; it rents again on use.</summary>
    public void Release()
    {
        Clear();
        _records.Dispose();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        Release();
        _partitionKeys.Dispose();
        _explicitHashKeys.Dispose();
    }
}
