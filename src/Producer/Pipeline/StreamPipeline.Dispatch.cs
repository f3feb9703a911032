namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>Collection: ready Kinesis records into PutRecords requests, within rate limits and connections.</summary>
internal sealed partial class StreamPipeline
{
    private readonly List<Task> _sends = [];

    private void Dispatch(long now)
    {
        while (_inFlightBatches < _options.MaxConnections && _readyCount > 0 && ShouldSend(now))
        {
            var batch = BuildBatch(now);
            if (batch.Count == 0)
            {
                return;
            }

            _inFlightBatches++;
            _sends.RemoveAll(static t => t.IsCompleted);
            // Serialising, signing and sending happen off the loop, which only decides what goes where.
            _sends.Add(Task.Run(() => _sender.SendAsync(batch)));
        }
    }

    /// <summary>A request goes out when it would be full, when a ready record is due, or on flush.</summary>
    private bool ShouldSend(long now)
    {
        if (FlushPending || _readyCount >= _options.CollectionMaxCount || _readyBytes >= _options.CollectionMaxSize)
        {
            return true;
        }

        foreach (var buffer in _shardOrder)
        {
            if (buffer.Ready.TryPeek(out var head) && head.DueAt <= now)
            {
                return true;
            }
        }

        return false;
    }

    private List<KinesisRecordItem> BuildBatch(long now)
    {
        var batch = new List<KinesisRecordItem>(Math.Min(_readyCount, _options.CollectionMaxCount));
        long bytes = 0;
        var shardCount = _shardOrder.Count;
        var progress = true;

        // Round-robin over the shards, one Kinesis record per shard per pass, so no shard starves the rest.
        while (progress && batch.Count < _options.CollectionMaxCount)
        {
            progress = false;
            for (var n = 0; n < shardCount && batch.Count < _options.CollectionMaxCount; n++)
            {
                var buffer = _shardOrder[(_rotation + n) % shardCount];
                if (buffer.InFlight || !buffer.Ready.TryPeek(out var item))
                {
                    continue;
                }

                if (batch.Count > 0 && bytes + item.Size > _options.CollectionMaxSize)
                {
                    continue;
                }

                if (!buffer.Limiter.TryTake(item.Size, now))
                {
                    continue;
                }

                buffer.Ready.Dequeue();
                _readyCount--;
                _readyBytes -= item.Size;
                bytes += item.Size;
                batch.Add(item);
                progress = true;
                if (_options.PreserveShardOrder)
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

    private TimeSpan NextWakeUp(long now)
    {
        var wait = MaxIdleWait;
        var canSend = _inFlightBatches < _options.MaxConnections;
        foreach (var buffer in _shardOrder)
        {
            if (buffer.Pending.Count > 0)
            {
                wait = Min(wait, _time.GetElapsedTime(now, buffer.PendingSince + _lingerTicks));
            }

            if (canSend && !buffer.InFlight && buffer.Ready.TryPeek(out var head))
            {
                var due = head.DueAt <= now || FlushPending
                    ? TimeSpan.Zero
                    : _time.GetElapsedTime(now, head.DueAt);
                wait = Min(wait, Max(due, buffer.Limiter.TimeUntilAvailable(head.Size, now)));
            }
        }

        if (_readyCount > 0 || _unrouted.Count > 0)
        {
            wait = Min(wait, SweepInterval);
        }

        if (_mapRetryAt != long.MaxValue)
        {
            wait = Min(wait, _time.GetElapsedTime(now, _mapRetryAt));
        }

        // A wake-up a hair late is harmless; a zero wait on a due item blocked elsewhere would spin.
        return wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
