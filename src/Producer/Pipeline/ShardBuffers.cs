using Kinesis.Clients.Producer.Limits;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// A stream's per-shard buffers: for each (predicted) shard, the aggregate being filled and the Kinesis records
/// ready to send (<see cref="ShardBuffer"/>), with the count and bytes ready across all shards. Adding a user
/// record seals the shard's aggregate when it is full or nearly so (<see cref="ShardAggregator"/>);
/// <see cref="SealDue"/> seals aggregates whose oldest record has waited RecordMaxBufferedTime. With compression, a
/// sealed Kinesis record is compressed and aggregates are filled by their estimated compressed size
/// (<see cref="SealCompressor"/>). Owned by the stream's loop; never reads the clock (the time comes in with each
/// call) and does no I/O.
/// </summary>
internal sealed class ShardBuffers : IDisposable
{
    private readonly Dictionary<string, ShardBuffer> _byId = new(StringComparer.Ordinal);
    private readonly List<ShardBuffer> _order = [];
    private readonly long _lingerTicks;
    private readonly long _timestampFrequency;
    private readonly int _rateLimitPercent;
    private readonly bool _aggregate;
    private readonly ShardAggregator _aggregator;
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
        _aggregator = new ShardAggregator(options, lingerTicks, encryptionReserve, Enqueue);
    }

    /// <summary>The compressor, when records are compressed (its estimate is worth a look in tests).</summary>
    public SealCompressor? Compressor => _aggregator.Compressor;

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
            buffer = new ShardBuffer(
                shardId, _aggregate ? _aggregator.NewBuilder() : null, new ShardRateLimiter(_rateLimitPercent, now, _timestampFrequency));
            _byId.Add(shardId, buffer);
            _order.Add(buffer);
        }

        return buffer;
    }

    /// <summary>Adds a user record to the shard's aggregate (or, without aggregation, makes it a ready Kinesis record).</summary>
    public void Add(ShardBuffer buffer, UserRecord record)
    {
        if (buffer.Builder is null)
        {
            Enqueue(buffer, _aggregator.Single(buffer.ShardId, record));
            return;
        }

        _aggregator.Add(buffer, record);
    }

    /// <summary>Whether records nobody watches are kept in aggregates only as counts (see <see cref="UnobservedRecords"/>).</summary>
    public bool CountsUnobserved => _aggregate && _aggregator.CountsUnobserved;

    /// <summary>Adds a record nobody watches, straight from the inbox and taken in at <paramref name="now"/>, to the shard's aggregate.</summary>
    public void Add(ShardBuffer buffer, in InboxEntry entry, long now)
    {
        if (buffer.Builder is null || !_aggregator.CountsUnobserved)
        {
            Add(buffer, entry.ToRecord(now));
            return;
        }

        _aggregator.Add(buffer, entry, now);
    }

    /// <summary>Turns the shard's open aggregate into a ready Kinesis record; does nothing when it is empty.</summary>
    public void Seal(ShardBuffer buffer) => _aggregator.Seal(buffer);

    /// <summary>
    /// Seals every open aggregate whose linger has run out at <paramref name="now"/>, or all of them (a flush); a
    /// shard with a request in flight keeps filling its own (<see cref="ShardBuffer.AwaitsLinger"/>).
    /// </summary>
    public void SealDue(long now, bool all)
    {
        foreach (var buffer in _order)
        {
            if (buffer.AwaitsLinger && (all || SealAt(buffer) <= now))
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

            // Records kept only as a count exist only in the open aggregate's bytes: seal it to take them back.
            if (buffer.PendingUnobserved is not null)
            {
                Seal(buffer);
            }

            moved ??= [];
            moved.AddRange(buffer.Pending);
            buffer.ClearPending();
            buffer.Builder?.Reset();
            while (buffer.Ready.Count > 0)
            {
                TakeReady(buffer).TakeRecordsBack(moved);
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
            // Records kept only as a count exist only in the open aggregate's bytes: sealed, they fail with the rest.
            if (buffer.PendingUnobserved is not null)
            {
                Seal(buffer);
            }

            buffer.Pending.ForEach(r => r.TryFail(code, message));
            buffer.ClearPending();
            while (buffer.Ready.TryDequeue(out var item))
            {
                item.FailRecords(code, message);
            }

            buffer.Dispose();
        }

        ReadyCount = 0;
        ReadyBytes = 0;
    }

    public void Dispose() => _aggregator.Dispose();

    private void Enqueue(ShardBuffer buffer, KinesisRecordItem item)
    {
        buffer.Ready.Enqueue(item);
        ReadyCount++;
        ReadyBytes += item.Size;
    }

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
}
