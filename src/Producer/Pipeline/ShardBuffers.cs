using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Limits;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// A stream's per-shard buffers: for each (predicted) shard, the aggregate being filled and the Kinesis records
/// ready to send (<see cref="ShardBuffer"/>), with the count and bytes ready across all shards. Adding a user
/// record seals the shard's aggregate when it is full or nearly so; <see cref="SealDue"/> seals aggregates whose
/// oldest record has waited RecordMaxBufferedTime. Owned by the stream's loop; never reads the clock (the time
/// comes in with each call) and does no I/O.
/// </summary>
internal sealed class ShardBuffers
{
    private readonly Dictionary<string, ShardBuffer> _byId = new(StringComparer.Ordinal);
    private readonly List<ShardBuffer> _order = [];
    private readonly long _lingerTicks;
    private readonly long _timestampFrequency;
    private readonly int _rateLimitPercent;
    private readonly bool _aggregate;
    private readonly int _aggregationMaxSize;
    private readonly int _aggregationMaxCount;
    private ShardBuffer?[] _routed = [];

    /// <param name="options">Aggregation (AggregationEnabled, -MaxSize, -MaxCount) and RateLimit.</param>
    /// <param name="lingerTicks">RecordMaxBufferedTime in timestamp ticks.</param>
    /// <param name="timestampFrequency">Ticks per second of the timestamps passed in.</param>
    public ShardBuffers(KinesisProducerOptions options, long lingerTicks, long timestampFrequency)
    {
        _lingerTicks = lingerTicks;
        _timestampFrequency = timestampFrequency;
        _rateLimitPercent = options.RateLimit;
        _aggregate = options.AggregationEnabled;
        _aggregationMaxSize = options.AggregationMaxSize;
        _aggregationMaxCount = options.AggregationMaxCount;
    }

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
            var builder = _aggregate ? new AggregateBuilder(_aggregationMaxSize, _aggregationMaxCount) : null;
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
            Enqueue(buffer, KinesisRecordItem.Single(buffer.ShardId, record, record.AcceptedAt + _lingerTicks));
            return;
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

        buffer.Pending.Add(record);
        buffer.PendingFirstAccepted = Math.Min(buffer.PendingFirstAccepted, record.AcceptedAt);
        buffer.PendingDataBytes += record.Data.Length;

        // An aggregate with less room left than the record just added took is as good as full: sealed now, it
        // goes out with the next request instead of waiting out the linger for a record that would not fit.
        if (builder.MaxEncodedSize - builder.EncodedSize < builder.EncodedSize - sizeBefore || builder.Count >= builder.MaxCount)
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
        if (builder.Count == 1)
        {
            data = buffer.Pending[0].Data;
        }
        else
        {
            rented = AggregateBuffers.Rent(builder.EncodedSize);
            data = rented.AsMemory(0, builder.WriteTo(rented));
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
            rented);

        // The buffers go back to the pool between aggregates: a stream of many shards would otherwise keep one
        // aggregate's worth of memory per shard, busy or not.
        builder.Release();
        ClearPending(buffer);
        Enqueue(buffer, item);
    }

    /// <summary>Seals every open aggregate whose linger has run out at <paramref name="now"/>, or all of them (a flush).</summary>
    public void SealDue(long now, bool all)
    {
        foreach (var buffer in _order)
        {
            if (buffer.Pending.Count > 0 && (all || buffer.PendingSince + _lingerTicks <= now))
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
    }
}
