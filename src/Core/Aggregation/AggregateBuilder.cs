using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Aggregation;

/// <summary>
/// Packs user records into one Kinesis record in the KPL aggregation format, which the KPL, the KCL and this
/// suite's consumer all read: <c>F3 89 9A C2</c>, an <c>AggregatedRecord</c> protobuf, and the MD5 of that protobuf.
/// </summary>
/// <remarks>
/// <para>
/// Sizes are exact: <see cref="SizeIfAdded"/> tells what <see cref="EncodedSize"/> would become, so a caller fills an
/// aggregate right up to a byte limit. The limit applies to the whole encoded aggregate, magic and digest included,
/// which is how the KPL measures AggregationMaxSize. An empty builder always accepts its first record, so a record
/// larger than the limit still goes out, alone.
/// </para>
/// <para>
/// What to send to Kinesis follows the KPL: one record goes out as its own raw data, partition key and explicit
/// hash key; more go out as the aggregate with partition key "a" and, as explicit hash key, the first record's hash
/// key in decimal, so the aggregate lands on the first record's shard. See <see cref="KinesisPartitionKey"/>.
/// </para>
/// <para>
/// Records are not validated here; check them with <see cref="RecordValidation"/> first. The builder is not
/// thread-safe. Reuse it with <see cref="Reset"/>; <see cref="Dispose"/> returns its pooled buffers.
/// </para>
/// </remarks>
public sealed class AggregateBuilder : IDisposable
{
    /// <summary>The KPL's default AggregationMaxSize in bytes.</summary>
    public const int DefaultMaxEncodedSize = 51_200;

    /// <summary>The partition key of a Kinesis record carrying several user records, as the KPL sends it.</summary>
    public const string AggregatePartitionKey = "a";

    private readonly AggregateBody _body;
    private string? _firstPartitionKey;
    private string? _firstExplicitHashKey;
    private string? _aggregateExplicitHashKey;
    private int _firstDataOffset;
    private int _firstDataLength;

    /// <summary>Creates a builder.</summary>
    /// <param name="maxEncodedSize">
    /// The most bytes an aggregate may take, magic and digest included; 51,200 by default, as in the KPL.
    /// </param>
    /// <param name="maxCount">The most user records per aggregate; unbounded by default, as in the KPL.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <paramref name="maxEncodedSize"/> is not in [1, 10 MiB], or <paramref name="maxCount"/> is not positive.
    /// </exception>
    public AggregateBuilder(int maxEncodedSize = DefaultMaxEncodedSize, int maxCount = int.MaxValue)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxEncodedSize);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxEncodedSize, RecordValidation.MaxConfigurableRecordSizeBytes);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxCount);
        MaxEncodedSize = maxEncodedSize;
        MaxCount = maxCount;

        // Filled to near the limit before it is reset, so the records buffer starts big enough (up to 64 KiB)
        // rather than doubling its way there after each Release.
        _body = new AggregateBody(Math.Min(maxEncodedSize, 64 * 1024));
    }

    /// <summary>The most bytes an aggregate may take, magic and digest included.</summary>
    public int MaxEncodedSize { get; }

    /// <summary>The most user records per aggregate.</summary>
    public int MaxCount { get; }

    /// <summary>User records added since the last reset.</summary>
    public int Count { get; private set; }

    /// <summary>Bytes <see cref="WriteTo(Span{byte})"/> writes: magic, protobuf body and digest (20 when empty).</summary>
    public int EncodedSize => AggregationFormat.Overhead + _body.Length;

    /// <summary>The partition key to send the Kinesis record with: the record's own for one record, else "a".</summary>
    /// <exception cref="InvalidOperationException">The builder is empty.</exception>
    public string KinesisPartitionKey => Count switch
    {
        0 => throw Empty(),
        1 => _firstPartitionKey!,
        _ => AggregatePartitionKey,
    };

    /// <summary>
    /// The explicit hash key to send the Kinesis record with: the record's own (possibly none) for one record, else
    /// the first record's hash key in decimal.
    /// </summary>
    /// <exception cref="InvalidOperationException">The builder is empty.</exception>
    public string? KinesisExplicitHashKey => Count switch
    {
        0 => throw Empty(),
        1 => _firstExplicitHashKey,
        _ => _aggregateExplicitHashKey ??=
            _firstExplicitHashKey ?? HashKey.FromPartitionKey(_firstPartitionKey!).ToString(),
    };

    /// <summary>Bytes of data the Kinesis record carries: the raw data for one record, else <see cref="EncodedSize"/>.</summary>
    /// <exception cref="InvalidOperationException">The builder is empty.</exception>
    public int KinesisDataLength => Count switch
    {
        0 => throw Empty(),
        1 => _firstDataLength,
        _ => EncodedSize,
    };

    private ReadOnlySpan<byte> FirstData => _body.Data(_firstDataOffset, _firstDataLength);

    /// <summary>Computes <see cref="EncodedSize"/> as it would be after adding a record, without adding it.</summary>
    /// <param name="partitionKey">The record's partition key.</param>
    /// <param name="explicitHashKey">The record's explicit hash key, or <see langword="null"/>.</param>
    /// <param name="dataLength">The record's data length in bytes.</param>
    /// <returns>The exact encoded size in bytes, magic and digest included.</returns>
    public long SizeIfAdded(string partitionKey, string? explicitHashKey, int dataLength)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentOutOfRangeException.ThrowIfNegative(dataLength);
        return EncodedSize + _body.Plan(partitionKey, explicitHashKey, dataLength).AddedSize;
    }

    /// <summary>Adds a record if the aggregate stays within <see cref="MaxEncodedSize"/> and <see cref="MaxCount"/>.</summary>
    /// <param name="partitionKey">The record's partition key.</param>
    /// <param name="explicitHashKey">The record's explicit hash key in decimal, or <see langword="null"/>.</param>
    /// <param name="data">The record's data; it is copied.</param>
    /// <returns>
    /// <see langword="true"/> if added; <see langword="false"/> if the aggregate is full, in which case nothing changed.
    /// An empty builder always accepts.
    /// </returns>
    public bool TryAdd(string partitionKey, string? explicitHashKey, ReadOnlySpan<byte> data)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        var plan = _body.Plan(partitionKey, explicitHashKey, data.Length);
        if (EncodedSize + plan.AddedSize > Array.MaxLength)
        {
            throw new ArgumentException($"The record cannot fit in an aggregate of at most {Array.MaxLength} bytes.", nameof(data));
        }

        if (Count > 0 && (Count >= MaxCount || EncodedSize + plan.AddedSize > MaxEncodedSize))
        {
            return false;
        }

        _body.AddKeys(plan, partitionKey, explicitHashKey);
        Added(partitionKey, explicitHashKey, _body.AddRecord(plan, explicitHashKey is not null, data), data.Length);
        return true;
    }

    /// <summary>
    /// Adds a run of records sharing one partition key (and explicit hash key), all or none, if the aggregate stays
    /// within <see cref="MaxEncodedSize"/> and <see cref="MaxCount"/>. An empty builder always accepts.
    /// </summary>
    /// <param name="partitionKey">The records' partition key.</param>
    /// <param name="explicitHashKey">The records' explicit hash key in decimal, or <see langword="null"/>.</param>
    /// <param name="data">The records' data back to back; it is copied.</param>
    /// <param name="lengths">Each record's length, in order; they add up to the length of <paramref name="data"/>.</param>
    /// <returns><see langword="true"/> if added; <see langword="false"/> if the run does not fit, in which case nothing changed.</returns>
    /// <exception cref="ArgumentException">The lengths are negative or do not add up to the data's length.</exception>
    public bool TryAddRun(string partitionKey, string? explicitHashKey, ReadOnlySpan<byte> data, ReadOnlySpan<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        if (lengths.IsEmpty)
        {
            return data.IsEmpty
                ? true
                : throw new ArgumentException($"The record lengths add up to 0 bytes but the data has {data.Length}.", nameof(lengths));
        }

        var plan = _body.Plan(partitionKey, explicitHashKey, lengths[0]);
        var added = plan.RunSize(explicitHashKey is not null, data.Length, lengths);
        if (EncodedSize + added > Array.MaxLength)
        {
            throw new ArgumentException($"The run cannot fit in an aggregate of at most {Array.MaxLength} bytes.", nameof(data));
        }

        if (Count > 0 && ((long)Count + lengths.Length > MaxCount || EncodedSize + added > MaxEncodedSize))
        {
            return false;
        }

        _body.AddKeys(plan, partitionKey, explicitHashKey);
        var offset = 0;
        foreach (var length in lengths)
        {
            plan.RecordLength = plan.RecordLengthWith(explicitHashKey is not null, length);
            Added(partitionKey, explicitHashKey, _body.AddRecord(plan, explicitHashKey is not null, data.Slice(offset, length)), length);
            offset += length;
        }

        return true;
    }

    /// <summary>
    /// The encoded size of an aggregate holding only the given run: whether the run fits in
    /// <see cref="MaxEncodedSize"/> on its own.
    /// </summary>
    /// <param name="partitionKey">The records' partition key.</param>
    /// <param name="explicitHashKey">The records' explicit hash key in decimal, or <see langword="null"/>.</param>
    /// <param name="lengths">Each record's length, in order.</param>
    /// <returns>The exact encoded size in bytes, magic and digest included.</returns>
    /// <exception cref="ArgumentException">A length is negative.</exception>
    public static long SizeOfRun(string partitionKey, string? explicitHashKey, ReadOnlySpan<int> lengths)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);

        // The plan an empty builder would make, without building one: both keys new, at index 0.
        var plan = default(AddPlan);
        plan.PartitionKeyEntrySize = ProtoWriter.LengthDelimitedSize(System.Text.Encoding.UTF8.GetByteCount(partitionKey));
        if (explicitHashKey is not null)
        {
            plan.ExplicitHashKeyEntrySize = ProtoWriter.LengthDelimitedSize(System.Text.Encoding.UTF8.GetByteCount(explicitHashKey));
        }

        return AggregationFormat.Overhead + plan.RunSize(explicitHashKey is not null, dataLength: null, lengths);
    }

    /// <summary>
    /// The bytes one record of <paramref name="dataLength"/> bytes adds to <see cref="SizeOfRun"/> (a run alone,
    /// without explicit hash key): for callers that grow a run record by record up to a size.
    /// </summary>
    /// <param name="dataLength">The record's data length in bytes.</param>
    /// <returns>The record's entry size in bytes.</returns>
    public static long RunRecordSize(int dataLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(dataLength);
        return ProtoWriter.LengthDelimitedSize(ProtoWriter.VarintFieldSize(0) + ProtoWriter.LengthDelimitedSize(dataLength));
    }

    /// <summary>Writes the aggregate (always in aggregated form, even for one record) into a span.</summary>
    /// <param name="destination">At least <see cref="EncodedSize"/> bytes.</param>
    /// <returns>The bytes written, <see cref="EncodedSize"/>.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    [SuppressMessage("Security", "CA5351", Justification = "The KPL format checks its body with MD5; it is a checksum, not security.")]
    public int WriteTo(Span<byte> destination)
    {
        var size = WriteUndigested(destination);
        var body = destination.Slice(AggregationFormat.MagicLength, _body.Length);
        MD5.HashData(body, destination.Slice(AggregationFormat.MagicLength + body.Length, AggregationFormat.DigestLength));
        return size;
    }

    /// <summary>
    /// Writes the aggregate as <see cref="WriteTo(Span{byte})"/> does but leaves its last 16 bytes, the MD5 of the body,
    /// unwritten: <see cref="AggregateDigests.Complete"/> writes the digests of many aggregates at once, several times
    /// faster than one by one.
    /// </summary>
    /// <param name="destination">At least <see cref="EncodedSize"/> bytes.</param>
    /// <returns><see cref="EncodedSize"/>: the bytes the aggregate takes, digest included.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> is too short.</exception>
    public int WriteUndigested(Span<byte> destination)
    {
        var size = EncodedSize;
        if (destination.Length < size)
        {
            throw new ArgumentException(
                $"Destination must hold the {size}-byte aggregate; it has {destination.Length} bytes.", nameof(destination));
        }

        AggregationFormat.Magic.CopyTo(destination);
        _body.CopyTo(destination.Slice(AggregationFormat.MagicLength, _body.Length));
        return size;
    }

    /// <summary>Writes the aggregate (always in aggregated form) to a buffer writer, in one contiguous span.</summary>
    /// <param name="writer">The destination.</param>
    public void WriteTo(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        var size = EncodedSize;
        writer.Advance(WriteTo(writer.GetSpan(size)));
    }

    /// <summary>Returns the aggregate (always in aggregated form) as a new array.</summary>
    /// <returns>The encoded aggregate.</returns>
    public byte[] ToArray()
    {
        var bytes = GC.AllocateUninitializedArray<byte>(EncodedSize);
        WriteTo(bytes);
        return bytes;
    }

    /// <summary>Writes the Kinesis record's data: the raw data for one record, else the aggregate.</summary>
    /// <param name="writer">The destination.</param>
    /// <exception cref="InvalidOperationException">The builder is empty.</exception>
    public void WriteKinesisData(IBufferWriter<byte> writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        switch (Count)
        {
            case 0:
                throw Empty();
            case 1:
                writer.Write(FirstData);
                break;
            default:
                WriteTo(writer);
                break;
        }
    }

    /// <summary>Returns the Kinesis record's data as a new array: the raw data for one record, else the aggregate.</summary>
    /// <returns>The data to send.</returns>
    /// <exception cref="InvalidOperationException">The builder is empty.</exception>
    public byte[] ToKinesisData() => Count switch
    {
        0 => throw Empty(),
        1 => FirstData.ToArray(),
        _ => ToArray(),
    };

    /// <summary>Empties the builder for reuse, keeping its buffers.</summary>
    public void Reset()
    {
        _body.Clear();
        _firstPartitionKey = null;
        _firstExplicitHashKey = null;
        _aggregateExplicitHashKey = null;
        _firstDataOffset = 0;
        _firstDataLength = 0;
        Count = 0;
    }

    /// <summary>
    /// Empties the builder and returns its records buffer (the big one) to the pool; it rents again when records
    /// are added. For one builder per shard of a wide stream, where keeping every buffer between aggregates would
    /// hold an aggregate's worth of memory for each quiet shard.
    /// </summary>
    public void Release()
    {
        Reset();
        _body.Release();
    }

    /// <summary>Empties the builder and returns its buffers to the pool.</summary>
    public void Dispose()
    {
        Reset();
        _body.Dispose();
    }

    private static InvalidOperationException Empty() => new("The aggregate has no records yet.");

    // The first record is what goes out alone, as its own raw data and keys, while it is the only one.
    private void Added(string partitionKey, string? explicitHashKey, int dataOffset, int dataLength)
    {
        if (Count == 0)
        {
            _firstPartitionKey = partitionKey;
            _firstExplicitHashKey = explicitHashKey;
            _firstDataOffset = dataOffset;
            _firstDataLength = dataLength;
        }

        Count++;
    }
}
