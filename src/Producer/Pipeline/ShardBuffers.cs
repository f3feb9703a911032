using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Limits;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// A stream's per-shard buffers: for each (predicted) shard, the aggregate being filled and the Kinesis records
/// ready to send (<see cref="ShardBuffer"/>), with the count and bytes ready across all shards. Adding a user
/// record seals the shard's aggregate when it is full or nearly so; <see cref="SealDue"/> seals aggregates whose
/// oldest record has waited RecordMaxBufferedTime. With compression, a sealed Kinesis record is compressed and
/// aggregates are filled by their estimated compressed size (<see cref="SealCompressor"/>). Owned by the stream's
/// loop; never reads the clock (the time comes in with each call) and does no I/O.
/// </summary>
internal sealed class ShardBuffers : IDisposable
{
    private readonly Dictionary<string, ShardBuffer> _byId = new(StringComparer.Ordinal);
    private readonly List<ShardBuffer> _order = [];
    private readonly long _lingerTicks;
    private readonly long _timestampFrequency;
    private readonly int _rateLimitPercent;
    private readonly bool _aggregate;
    private readonly int _aggregationMaxSize;
    private readonly int _arrayLength;
    private readonly int _aggregationMaxCount;
    private readonly SealCompressor? _compressor;
    private readonly bool _encrypting;
    private ShardBuffer?[] _routed = [];

    /// <param name="options">Aggregation (AggregationEnabled, -MaxSize, -MaxCount), Compression, MaxUserRecordSize and RateLimit.</param>
    /// <param name="lingerTicks">RecordMaxBufferedTime in timestamp ticks.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps passed in.</param>
    /// <param name="encryptionReserve">Bytes each Kinesis record leaves free for encryption (added when it is sent).</param>
    public ShardBuffers(KinesisProducerOptions options, long lingerTicks, long timestampFrequency, int encryptionReserve = 0)
    {
        _lingerTicks = lingerTicks;
        _timestampFrequency = timestampFrequency;
        _rateLimitPercent = options.RateLimit;
        _aggregate = options.AggregationEnabled;
        _encrypting = encryptionReserve > 0;

        // Encryption adds its header after sealing: an aggregate is filled short of the limits by that much.
        _aggregationMaxSize = encryptionReserve == 0
            ? options.AggregationMaxSize
            : Math.Max(MinimumAggregate, options.AggregationMaxSize - encryptionReserve);
        // An aggregate of at most 1 MiB holds far fewer than int.MaxValue records: the KPL's larger bounds mean "no limit".
        _aggregationMaxCount = (int)Math.Min(options.AggregationMaxCount, int.MaxValue);

        // Sealed aggregates take arrays of the runs' length (see AggregateBuffers): what a run gives up at seal, its
        // aggregate takes.
        _arrayLength = options.AggregationMaxSize;
        if (options.Compression.IsEnabled)
        {
            _compressor = new SealCompressor(
                options.Compression, _aggregationMaxSize, Math.Max(_aggregationMaxSize, options.MaxUserRecordSize - encryptionReserve));
        }
    }

    private const int MinimumAggregate = 1024;

    /// <summary>The compressor, when records are compressed (its estimate is worth a look in tests).</summary>
    public SealCompressor? Compressor => _compressor;

    /// <summary>How many shards have a buffer.</summary>
    public int Count => _order.Count;

    /// <summary>The buffers in the order they were created (the batch planner's round-robin order).</summary>
    public ShardBuffer this[int index] => _order[index];

    /// <summary>Kinesis records sealed and waiting to be sent, across all shards.</summary>
    public int ReadyCount { get; private set; }

    /// <summary>The bytes (as PutRecords counts them) of the <see cref="ReadyCount"/> records.</summary>
    public long ReadyBytes { get; private set; }

    /// <summary>When a shard's open aggregate must be sealed: its oldest record's acceptance plus the linger.</summary>
    public long SealAt(ShardBuffer buffer) => buffer.PendingSince + _lingerTicks;

    public bool TryGet(string shardId, out ShardBuffer buffer) => _byId.TryGetValue(shardId, out buffer!);

    /// <summary>Forgets the shard-index lookup of the previous map (a new map's indexes differ).</summary>
    public void ResetRoutes(int openShardCount) => _routed = new ShardBuffer?[openShardCount];

    /// <summary>The buffer for the open shard at <paramref name="index"/> of <paramref name="map"/> (the current map), created at <paramref name="now"/> when new.</summary>
    /// <remarks>By the map's index, not the shard id string: no dictionary lookup per record.</remarks>
    public ShardBuffer Routed(ShardMap map, int index, long now) => _routed[index] ??= GetOrCreate(map.OpenShardIds[index], now);

    public ShardBuffer GetOrCreate(string shardId, long now)
    {
        if (!_byId.TryGetValue(shardId, out var buffer))
        {
            // With compression an aggregate may grow, before compression, up to the record limit; the fill stops at
            // the compressor's estimate of AggregationMaxSize compressed.
            var builder = _aggregate
                ? new AggregateBuilder(_compressor?.RecordLimit ?? _aggregationMaxSize, _aggregationMaxCount)
                : null;
            buffer = new ShardBuffer(shardId, builder, new ShardRateLimiter(_rateLimitPercent, now, _timestampFrequency));
            _byId.Add(shardId, buffer);
            _order.Add(buffer);
        }

        return buffer;
    }

    /// <summary>Adds a user record to the shard's aggregate (or, without aggregation, makes it a ready Kinesis record).</summary>
    public void Add(ShardBuffer buffer, UserRecord record)
    {
        var builder = buffer.Builder;
        if (builder is null)
        {
            Enqueue(buffer, Single(buffer.ShardId, record));
            return;
        }

        if (_compressor is not null && builder.Count > 0 && builder.EncodedSize + record.DataLength > _compressor.RawTarget)
        {
            Seal(buffer);
        }

        if (buffer.Pending.Count == 0)
        {
            buffer.PendingSince = record.AcceptedAt;
        }

        var sizeBefore = builder.EncodedSize;
        if (!TryAggregate(builder, record))
        {
            Seal(buffer);
            buffer.PendingSince = record.AcceptedAt;
            sizeBefore = builder.EncodedSize;
            if (!TryAggregate(builder, record))
            {
                throw new InvalidOperationException("An empty aggregate refused a record; the aggregation limits are inconsistent.");
            }
        }

        AddPending(buffer, record);

        // An aggregate with less room left than the record just added took is as good as full: sealed now, it
        // goes out with the next request instead of waiting out the linger for a record that would not fit.
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
        if (buffer.Pending.Count == 0)
        {
            return;
        }

        // One record goes out as it is, its own array; an aggregate is encoded into a pooled array that
        // the Kinesis record returns when it is finished (aggregates were most of the producer's garbage).
        ReadOnlyMemory<byte> data;
        byte[]? rented = null;
        var isEnvelope = false;
        if (builder.Count == 1)
        {
            data = buffer.Pending[0].Data;
        }
        else
        {
            rented = AggregateBuffers.Rent(builder.EncodedSize, _arrayLength);
            data = rented.AsMemory(0, builder.WriteTo(rented));
        }

        if (_compressor is not null)
        {
            var compressed = _compressor.TryCompress(data.Span, out var envelope, out var length);
            isEnvelope = compressed;
            var size = compressed ? length : data.Length;
            if (size > _aggregationMaxSize && buffer.Pending.Count > 1)
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
            [.. buffer.Pending],
            buffer.PendingSince + _lingerTicks,
            buffer.PendingFirstAccepted,
            buffer.PendingDataBytes,
            builder.Count,
            rented)
        { IsEnvelope = isEnvelope, HoldsRunData = holdsRunData };

        // The buffers go back to the pool between aggregates: a stream of many shards would otherwise keep one
        // aggregate's worth of memory per shard, busy or not.
        builder.Release();
        ClearPending(buffer);
        Enqueue(buffer, item);
    }

    /// <summary>Seals every open aggregate whose linger has run out at <paramref name="now"/>, or all of them (a flush).</summary>
    /// <remarks>
    /// A shard with a request in flight (ordered mode) keeps filling its open aggregate: it may send nothing until
    /// that request ends, so an aggregate sealed meanwhile would only wait, and a slow round trip would leave many
    /// small aggregates behind, each a round trip of its own, where one full one does. It is sealed when full, as
    /// always, or, already due, as soon as the shard is free.
    /// </remarks>
    public void SealDue(long now, bool all)
    {
        foreach (var buffer in _order)
        {
            if (buffer.Pending.Count > 0 && !buffer.InFlight && (all || buffer.PendingSince + _lingerTicks <= now))
            {
                Seal(buffer);
            }
        }
    }

    /// <summary>Takes the shard's oldest ready Kinesis record out (to go into a request).</summary>
    public KinesisRecordItem TakeReady(ShardBuffer buffer)
    {
        var item = buffer.Ready.Dequeue();
        ReadyCount--;
        ReadyBytes -= item.Size;
        return item;
    }

    /// <summary>
    /// Removes the buffers of shards that are no longer open (and have nothing in flight) and returns their
    /// unsent user records, taken out of their Kinesis records, to be routed again; <see langword="null"/> when none.
    /// </summary>
    public List<UserRecord>? RemoveClosed(Func<string, bool> isOpen)
    {
        List<UserRecord>? moved = null;
        for (var i = _order.Count - 1; i >= 0; i--)
        {
            var buffer = _order[i];
            if (isOpen(buffer.ShardId) || buffer.InFlight)
            {
                continue;
            }

            moved ??= [];
            moved.AddRange(buffer.Pending);
            ClearPending(buffer);
            buffer.Builder?.Reset();
            while (buffer.Ready.TryDequeue(out var item))
            {
                ReadyCount--;
                ReadyBytes -= item.Size;
                item.RestoreRunData();
                foreach (var record in item.Records)
                {
                    record.Leave(item.Attempts);
                }

                moved.AddRange(item.Records);
                item.ReleaseData();
            }

            buffer.Dispose();
            _byId.Remove(buffer.ShardId);
            _order.RemoveAt(i);
        }

        return moved;
    }

    /// <summary>Takes out every ready Kinesis record whose deadline has passed at <paramref name="now"/>, into <paramref name="expired"/>; the others keep their order.</summary>
    public void TakeExpired(long now, List<KinesisRecordItem> expired)
    {
        foreach (var buffer in _order)
        {
            if (buffer.Ready.Count == 0 || !HasExpired(buffer.Ready, now))
            {
                continue;
            }

            var keep = new Queue<KinesisRecordItem>(buffer.Ready.Count);
            while (buffer.Ready.TryDequeue(out var item))
            {
                if (item.Deadline <= now)
                {
                    ReadyCount--;
                    ReadyBytes -= item.Size;
                    expired.Add(item);
                }
                else
                {
                    keep.Enqueue(item);
                }
            }

            while (keep.TryDequeue(out var item))
            {
                buffer.Ready.Enqueue(item);
            }
        }
    }

    /// <summary>Fails every user record held, open or ready, and releases the buffers (shutdown or a crash of the loop).</summary>
    public void FailAll(string code, string message)
    {
        foreach (var buffer in _order)
        {
            buffer.Pending.ForEach(r => r.TryFail(code, message));
            ClearPending(buffer);
            while (buffer.Ready.TryDequeue(out var item))
            {
                item.RestoreRunData();
                foreach (var record in item.Records)
                {
                    record.TryFail(code, message, item.Attempts);
                }

                item.ReleaseData();
            }

            buffer.Dispose();
        }

        ReadyCount = 0;
        ReadyBytes = 0;
    }

    public void Dispose() => _compressor?.Dispose();

    // A record sent on its own (no aggregation), compressed when that makes it smaller.
    private KinesisRecordItem Single(string shardId, UserRecord record)
    {
        var dueAt = record.AcceptedAt + _lingerTicks;
        return _compressor is not null && _compressor.TryCompress(record.Data.Span, out var envelope, out var length)
            ? new KinesisRecordItem(
                shardId, record.PartitionKey, record.ExplicitHashKey, envelope.AsMemory(0, length), [record], dueAt,
                record.AcceptedAt, record.Data.Length, 1, envelope)
            { IsEnvelope = true }
            : KinesisRecordItem.Single(shardId, record, dueAt);
    }

    // Seals the open aggregate's records as two aggregates, in order (each split again if it is still too big).
    private void SealHalves(ShardBuffer buffer)
    {
        var records = buffer.Pending.ToArray();
        var since = buffer.PendingSince;
        buffer.Builder!.Reset();
        ClearPending(buffer);
        var half = records.Length / 2;
        foreach (var part in new[] { records[..half], records[half..] })
        {
            foreach (var record in part)
            {
                if (!TryAggregate(buffer.Builder, record))
                {
                    throw new InvalidOperationException("A part of an aggregate did not fit where the whole had.");
                }

                AddPending(buffer, record);
            }

            buffer.PendingSince = since;
            Seal(buffer);
        }
    }

    private static void AddPending(ShardBuffer buffer, UserRecord record)
    {
        buffer.Pending.Add(record);
        buffer.PendingFirstAccepted = Math.Min(buffer.PendingFirstAccepted, record.AcceptedAt);
        buffer.PendingDataBytes += record.DataLength;
        if (record.Lengths is not null)
        {
            buffer.PendingRuns++;
        }
    }

    private static void ReturnRented(byte[]? array)
    {
        if (array is not null)
        {
            AggregateBuffers.Return(array);
        }
    }

    private void Enqueue(ShardBuffer buffer, KinesisRecordItem item)
    {
        buffer.Ready.Enqueue(item);
        ReadyCount++;
        ReadyBytes += item.Size;
    }

    private static bool TryAggregate(AggregateBuilder builder, UserRecord record) =>
        record.Lengths is null
            ? builder.TryAdd(record.PartitionKey, record.ExplicitHashKey, record.Data.Span)
            : builder.TryAddRun(record.PartitionKey, record.ExplicitHashKey, record.Data.Span, record.Lengths);

    private static bool HasExpired(Queue<KinesisRecordItem> ready, long now)
    {
        foreach (var item in ready)
        {
            if (item.Deadline <= now)
            {
                return true;
            }
        }

        return false;
    }

    private static void ClearPending(ShardBuffer buffer)
    {
        buffer.Pending.Clear();
        buffer.PendingFirstAccepted = long.MaxValue;
        buffer.PendingDataBytes = 0;
        buffer.PendingRuns = 0;
    }
}
