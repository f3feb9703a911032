namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Decides, from the shard buffers and a time passed in, which ready Kinesis records go into the next
/// PutRecords request and when the loop must look again. Never reads the clock and does no I/O: the only
/// state it keeps is where its round-robin over the shards starts next.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>A request goes out when the ready records would fill one (CollectionMaxCount records or
/// CollectionMaxSize bytes), when a shard's oldest ready record has waited RecordMaxBufferedTime, or during a
/// flush; and only while fewer than MaxConnections requests are in flight.</item>
/// <item>A request takes one Kinesis record per shard per pass, shards in turn (starting one shard later each
/// request, so no shard starves the rest), each shard's oldest first (a record routed again or retried before
/// anything newer of its shard), up to CollectionMaxCount records and CollectionMaxSize bytes (a first record
/// larger than that still goes, alone).</item>
/// <item>A shard whose rate limiter cannot cover its next record is skipped for this request. What a request takes
/// stays charged as on its way until the request is answered (<see cref="Limits.ShardRateLimiter"/>).</item>
/// <item>With PreserveShardOrder, one request per shard at a time: a shard with a request in flight is skipped,
/// and a request takes at most one Kinesis record of each shard (PutRecords handles each entry on its own: of two
/// entries of one shard, the first can fail while the second is stored). Meanwhile the shard's open aggregate keeps
/// filling (<see cref="ShardBuffer.AwaitsLinger"/>), so a busy shard sends one full aggregate per round trip.</item>
/// </list>
/// </remarks>
internal sealed class BatchPlanner
{
    /// <summary>How often the loop looks for expired records while any are held.</summary>
    public static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest the loop sleeps with nothing due.</summary>
    public static readonly TimeSpan MaxIdleWait = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan MinWait = TimeSpan.FromMilliseconds(1);

    private readonly int _maxCount;
    private readonly long _maxSize;
    private readonly int _maxConnections;
    private readonly bool _preserveShardOrder;
    private readonly double _timeSpanTicksPerTimestamp;
    private int _rotation;

    public BatchPlanner(int collectionMaxCount, long collectionMaxSize, int maxConnections, bool preserveShardOrder, long timestampFrequency)
    {
        _maxCount = collectionMaxCount;
        _maxSize = collectionMaxSize;
        _maxConnections = maxConnections;
        _preserveShardOrder = preserveShardOrder;
        _timeSpanTicksPerTimestamp = (double)TimeSpan.TicksPerSecond / timestampFrequency;
    }

    public static BatchPlanner For(KinesisProducerOptions options, long timestampFrequency) =>
        new(options.CollectionMaxCount, options.CollectionMaxSize, options.MaxConnections, options.PreserveShardOrder, timestampFrequency);

    /// <summary>
    /// The next request to send at <paramref name="now"/>, its records taken out of the buffers (and their rate
    /// limits charged); <see langword="null"/> when none should go now.
    /// </summary>
    /// <param name="buffers">The shard buffers.</param>
    /// <param name="now">The time, in the buffers' timestamp ticks.</param>
    /// <param name="flushing">A flush is waiting: everything ready goes at once.</param>
    /// <param name="inFlightRequests">Requests sent and not finished.</param>
    public List<KinesisRecordItem>? NextBatch(ShardBuffers buffers, long now, bool flushing, int inFlightRequests)
    {
        if (inFlightRequests >= _maxConnections || buffers.ReadyCount == 0 || !ShouldSend(buffers, now, flushing))
        {
            return null;
        }

        var batch = BuildBatch(buffers, now);
        return batch.Count == 0 ? null : batch;
    }

    /// <summary>A request goes out when it would be full, when a ready record is due, or on flush.</summary>
    public bool ShouldSend(ShardBuffers buffers, long now, bool flushing)
    {
        if (flushing || buffers.ReadyCount >= _maxCount || buffers.ReadyBytes >= _maxSize)
        {
            return true;
        }

        for (var i = 0; i < buffers.Count; i++)
        {
            if (buffers[i].Ready.TryPeek(out var head) && head.DueAt <= now)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Takes the records of one request out of the buffers; empty when every shard with records is blocked.</summary>
    public List<KinesisRecordItem> BuildBatch(ShardBuffers buffers, long now)
    {
        var batch = new List<KinesisRecordItem>(Math.Min(buffers.ReadyCount, _maxCount));
        long bytes = 0;
        var shardCount = buffers.Count;
        var progress = true;

        while (progress && batch.Count < _maxCount)
        {
            progress = false;
            for (var n = 0; n < shardCount && batch.Count < _maxCount; n++)
            {
                var buffer = buffers[(_rotation + n) % shardCount];
                if (buffer.InFlight || !buffer.Ready.TryPeek(out var item))
                {
                    continue;
                }

                if (batch.Count > 0 && bytes + item.Size > _maxSize)
                {
                    continue;
                }

                if (!buffer.Limiter.TrySend(item.Size, now))
                {
                    continue;
                }

                buffers.TakeReady(buffer);
                bytes += item.Size;
                batch.Add(item);
                progress = true;
                if (_preserveShardOrder)
                {
                    // One Kinesis record per shard per request, one request per shard at a time: a failed
                    // record is retried before anything newer of its shard is sent.
                    buffer.InFlight = true;
                }
            }
        }

        _rotation = shardCount == 0 ? 0 : (_rotation + 1) % shardCount;
        return batch;
    }

    /// <summary>
    /// How long the loop may sleep at <paramref name="now"/> (new messages wake it earlier): until the earliest of
    /// an open aggregate's linger running out (of a shard with no request in flight), a sendable shard's next record
    /// being due and within its rate limit, the next expiry sweep while records are held, and the retry of a failed
    /// shard map fetch; at most
    /// <see cref="MaxIdleWait"/>, at least a millisecond.
    /// </summary>
    /// <param name="buffers">The shard buffers.</param>
    /// <param name="now">The time, in the buffers' timestamp ticks.</param>
    /// <param name="flushing">A flush is waiting.</param>
    /// <param name="inFlightRequests">Requests sent and not finished.</param>
    /// <param name="unroutedWaiting">User records wait for a shard map covering them.</param>
    /// <param name="mapRetryAt">When a failed shard map fetch is retried; <see cref="long.MaxValue"/> for none.</param>
    public TimeSpan NextWakeUp(ShardBuffers buffers, long now, bool flushing, int inFlightRequests, bool unroutedWaiting, long mapRetryAt)
    {
        var wait = MaxIdleWait;
        var canSend = inFlightRequests < _maxConnections;
        for (var i = 0; i < buffers.Count; i++)
        {
            var buffer = buffers[i];
            // A shard in flight keeps filling its open aggregate: no deadline until it is free.
            if (buffer.AwaitsLinger)
            {
                wait = Min(wait, Elapsed(now, buffers.SealAt(buffer)));
            }

            if (canSend && !buffer.InFlight && buffer.Ready.TryPeek(out var head))
            {
                var due = head.DueAt <= now || flushing ? TimeSpan.Zero : Elapsed(now, head.DueAt);
                wait = Min(wait, Max(due, buffer.Limiter.TimeUntilAvailable(head.Size, now)));
            }
        }

        if (buffers.ReadyCount > 0 || unroutedWaiting)
        {
            wait = Min(wait, SweepInterval);
        }

        if (mapRetryAt != long.MaxValue)
        {
            wait = Min(wait, Elapsed(now, mapRetryAt));
        }

        // A wake-up a hair late is harmless; a zero wait on a due item blocked elsewhere would spin.
        return wait < MinWait ? MinWait : wait;
    }

    // As TimeProvider.GetElapsedTime computes it.
    private TimeSpan Elapsed(long start, long end) => new((long)((end - start) * _timeSpanTicksPerTimestamp));

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
