using Kinesis.Clients.Aggregation;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Fills a shard's open aggregate with user records and seals it into a ready Kinesis record: when it is full or
/// nearly so, or when <see cref="ShardBuffers"/> asks (linger, flush). Knows the aggregation limits, the room left for
/// encryption and the compressor; holds no per-shard state (that is the <see cref="ShardBuffer"/>'s) and hands every
/// sealed record to the owner of the buffers.
/// </summary>
internal sealed class ShardAggregator : IDisposable
{
    private const int MinimumAggregate = 1024;

    private readonly Action<ShardBuffer, KinesisRecordItem> _ready;
    private readonly long _lingerTicks;
    private readonly int _aggregationMaxSize;
    private readonly int _arrayLength;
    private readonly int _aggregationMaxCount;
    private readonly SealCompressor? _compressor;
    private readonly bool _encrypting;
    private readonly bool _countsUnobserved;

    /// <param name="options">Aggregation (AggregationMaxSize, -MaxCount), Compression and MaxUserRecordSize.</param>
    /// <param name="lingerTicks">RecordMaxBufferedTime in timestamp ticks.</param>
    /// <param name="encryptionReserve">Bytes each Kinesis record leaves free for encryption (added when it is sent).</param>
    /// <param name="ready">Takes each sealed Kinesis record, in order.</param>
    public ShardAggregator(KinesisProducerOptions options, long lingerTicks, int encryptionReserve, Action<ShardBuffer, KinesisRecordItem> ready)
    {
        _ready = ready;
        _lingerTicks = lingerTicks;
        _encrypting = encryptionReserve > 0;

        // Encryption adds its header after sealing: an aggregate is filled short of the limits by that much.
        _aggregationMaxSize = encryptionReserve == 0
            ? options.AggregationMaxSize
            : Math.Max(MinimumAggregate, options.AggregationMaxSize - encryptionReserve);
        // An aggregate of at most 1 MiB holds far fewer than int.MaxValue records: the KPL's larger bounds mean "no limit".
        _aggregationMaxCount = (int)Math.Min(options.AggregationMaxCount, int.MaxValue);

        // Records nobody watches one by one are kept only as counts in plain aggregates (see UnobservedRecords).
        _countsUnobserved = !_encrypting && !options.Compression.IsEnabled;

        // Sealed aggregates take arrays of the runs' length (see AggregateBuffers): what a run gives up at seal, its
        // aggregate takes.
        _arrayLength = options.AggregationMaxSize;
        if (options.Compression.IsEnabled)
        {
            _compressor = new SealCompressor(
                options.Compression, _aggregationMaxSize, Math.Max(_aggregationMaxSize, options.MaxUserRecordSize - encryptionReserve));
        }
    }

    /// <summary>The compressor, when records are compressed.</summary>
    public SealCompressor? Compressor => _compressor;

    /// <summary>A new shard's aggregate builder.</summary>
    public AggregateBuilder NewBuilder() =>
        // With compression an aggregate may grow, before compression, up to the record limit; the fill stops at the
        // compressor's estimate of AggregationMaxSize compressed.
        new(_compressor?.RecordLimit ?? _aggregationMaxSize, _aggregationMaxCount);

    /// <summary>Whether records nobody watches are kept in aggregates only as counts (plain aggregates: no compression, no encryption).</summary>
    public bool CountsUnobserved => _countsUnobserved;

    /// <summary>Adds a user record to the shard's open aggregate, sealing it before when the record would not fit and after when it is as good as full.</summary>
    public void Add(ShardBuffer buffer, UserRecord record)
    {
        var sizeBefore = Aggregate(buffer, record.PartitionKey, record.ExplicitHashKey, record.Data.Span, record.Lengths, record.AcceptedAt, out var position);
        buffer.AddPending(record, position, _countsUnobserved && record.IsUnobserved);
        SealIfFull(buffer, sizeBefore);
    }

    /// <summary>As <see cref="Add(ShardBuffer, UserRecord)"/>, for a record nobody watches straight from the inbox, taken in at <paramref name="acceptedAt"/> (see <see cref="CountsUnobserved"/>).</summary>
    public void Add(ShardBuffer buffer, in InboxEntry entry, long acceptedAt)
    {
        if (!_countsUnobserved)
        {
            throw new InvalidOperationException("Only plain aggregates keep records as counts; this record needs a user record of its own.");
        }

        var sizeBefore = Aggregate(buffer, entry.PartitionKey, entry.ExplicitHashKey, entry.Data, null, acceptedAt, out _);
        buffer.AddPending(entry, acceptedAt);
        SealIfFull(buffer, sizeBefore);
    }

    // Writes the record into the open aggregate (sealed first when the record does not fit); returns the aggregate's
    // size before the record and the record's first sub-record index.
    private int Aggregate(ShardBuffer buffer, string partitionKey, string? explicitHashKey, ReadOnlySpan<byte> data, int[]? lengths, long acceptedAt, out int position)
    {
        var builder = buffer.Builder!;
        if (_compressor is not null && builder.Count > 0 && builder.EncodedSize + data.Length > _compressor.RawTarget)
        {
            Seal(buffer);
        }

        if (buffer.PendingCount == 0)
        {
            buffer.PendingSince = acceptedAt;
        }

        var sizeBefore = builder.EncodedSize;
        position = builder.Count;
        if (!TryAggregate(builder, partitionKey, explicitHashKey, data, lengths))
        {
            Seal(buffer);
            buffer.PendingSince = acceptedAt;
            sizeBefore = builder.EncodedSize;
            position = 0;
            if (!TryAggregate(builder, partitionKey, explicitHashKey, data, lengths))
            {
                throw new InvalidOperationException("An empty aggregate refused a record; the aggregation limits are inconsistent.");
            }
        }

        return sizeBefore;
    }

    // An aggregate with less room left than the record just added took is as good as full: sealed now, it goes out
    // with the next request instead of waiting out the linger for a record that would not fit.
    private void SealIfFull(ShardBuffer buffer, int sizeBefore)
    {
        var builder = buffer.Builder!;
        var limit = _compressor?.RawTarget ?? builder.MaxEncodedSize;
        if (limit - builder.EncodedSize < builder.EncodedSize - sizeBefore || builder.Count >= builder.MaxCount)
        {
            Seal(buffer);
        }
    }

    /// <summary>Turns the shard's open aggregate into a ready Kinesis record; does nothing when it is empty.</summary>
    public void Seal(ShardBuffer buffer)
    {
        var builder = buffer.Builder!;
        if (buffer.PendingCount == 0)
        {
            return;
        }

        // One record goes out as it is, its own array; an aggregate is encoded into a pooled array that
        // the Kinesis record returns when it is finished (aggregates were most of the producer's garbage).
        ReadOnlyMemory<byte> data;
        byte[]? rented = null;
        var isEnvelope = false;
        var digestPending = false;
        var unobserved = buffer.PendingUnobserved;
        UserRecord[] records;
        int[]? positions = null;
        if (builder.Count == 1)
        {
            // One record goes out as it is, carried one by one whatever it is: its data is its own array.
            records = [unobserved?.First ?? buffer.Pending[0]];
            unobserved = null;
            data = records[0].Data;
        }
        else
        {
            records = [.. buffer.Pending];
            positions = unobserved is null ? null : [.. buffer.PendingPositions];
            rented = AggregateBuffers.Rent(builder.EncodedSize, _arrayLength);

            // A plain aggregate's MD5 is written when it is sent, together with the rest of its request's
            // (AggregateDigests); a compressed one is digested now, since its envelope holds the whole aggregate.
            digestPending = _compressor is null;
            data = rented.AsMemory(0, digestPending ? builder.WriteUndigested(rented) : builder.WriteTo(rented));
        }

        if (_compressor is not null)
        {
            var compressed = _compressor.TryCompress(data.Span, out var envelope, out var length);
            isEnvelope = compressed;
            var size = compressed ? length : data.Length;
            if (size > _aggregationMaxSize && buffer.PendingCount > 1)
            {
                // The estimate was off: rather than charge the stream more than AggregationMaxSize, seal two halves.
                ReturnRented(compressed ? envelope : null);
                ReturnRented(rented);
                SealHalves(buffer);
                return;
            }

            if (compressed)
            {
                ReturnRented(rented);
                rented = envelope;
                data = envelope.AsMemory(0, length);
            }
        }

        // Runs in a plain aggregate give their pooled data up: the aggregate holds the same bytes until the records
        // are stored, and gives them back (decoded) if they must leave it unsent. A compressed or encrypted aggregate
        // is not kept in plain form, so its runs keep their own copy.
        var holdsRunData = rented is not null && !isEnvelope && !_encrypting && buffer.PendingRuns > 0;
        if (holdsRunData)
        {
            foreach (var record in buffer.Pending)
            {
                record.GiveUpData();
            }
        }

        var item = new KinesisRecordItem(
            buffer.ShardId,
            builder.KinesisPartitionKey,
            builder.KinesisExplicitHashKey,
            data,
            records,
            buffer.PendingSince + _lingerTicks,
            buffer.PendingFirstAccepted,
            buffer.PendingDataBytes,
            builder.Count,
            rented,
            unobserved,
            positions)
        { IsEnvelope = isEnvelope, HoldsRunData = holdsRunData, DigestPending = digestPending };

        // The buffers go back to the pool between aggregates: a stream of many shards would otherwise keep one
        // aggregate's worth of memory per shard, busy or not.
        builder.Release();
        buffer.ClearPending();
        _ready(buffer, item);
    }

    /// <summary>A record sent on its own (no aggregation), compressed when that makes it smaller.</summary>
    public KinesisRecordItem Single(string shardId, UserRecord record)
    {
        var dueAt = record.AcceptedAt + _lingerTicks;
        return _compressor is not null && _compressor.TryCompress(record.Data.Span, out var envelope, out var length)
            ? new KinesisRecordItem(
                shardId, record.PartitionKey, record.ExplicitHashKey, envelope.AsMemory(0, length), [record], dueAt,
                record.AcceptedAt, record.Data.Length, 1, envelope)
            { IsEnvelope = true }
            : KinesisRecordItem.Single(shardId, record, dueAt);
    }

    public void Dispose() => _compressor?.Dispose();

    // Seals the open aggregate's records as two aggregates, in order (each split again if it is still too big).
    private void SealHalves(ShardBuffer buffer)
    {
        if (buffer.PendingUnobserved is not null)
        {
            throw new InvalidOperationException("A compressed aggregate held records kept only as a count; they cannot be split.");
        }

        var records = buffer.Pending.ToArray();
        var since = buffer.PendingSince;
        buffer.Builder!.Reset();
        buffer.ClearPending();
        var half = records.Length / 2;
        foreach (var part in new[] { records[..half], records[half..] })
        {
            foreach (var record in part)
            {
                if (!TryAggregate(buffer.Builder, record))
                {
                    throw new InvalidOperationException("A part of an aggregate did not fit where the whole had.");
                }

                buffer.AddPending(record, buffer.Builder.Count - record.Count, unobserved: false);
            }

            buffer.PendingSince = since;
            Seal(buffer);
        }
    }

    private static bool TryAggregate(AggregateBuilder builder, UserRecord record) =>
        TryAggregate(builder, record.PartitionKey, record.ExplicitHashKey, record.Data.Span, record.Lengths);

    private static bool TryAggregate(AggregateBuilder builder, string partitionKey, string? explicitHashKey, ReadOnlySpan<byte> data, int[]? lengths) =>
        lengths is null
            ? builder.TryAdd(partitionKey, explicitHashKey, data)
            : builder.TryAddRun(partitionKey, explicitHashKey, data, lengths);

    private static void ReturnRented(byte[]? array)
    {
        if (array is not null)
        {
            AggregateBuffers.Return(array);
        }
    }
}
