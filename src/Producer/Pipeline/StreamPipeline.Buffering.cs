using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>Routing, aggregation and expiry: the loop's handling of what arrives in its inbox.</summary>
internal sealed partial class StreamPipeline
{
    private void Handle(InboxItem inbox)
    {
        switch (inbox.Message)
        {
            case UserRecord record:
                _received += record.Count;
                Route(record, inbox.Key);
                break;
            case RerouteRecords reroute:
                foreach (var record in reroute.Records)
                {
                    Route(record, record.ComputeHashKey());
                }

                break;
            case MapRefreshed refreshed:
                OnMapRefreshed(refreshed.Map);
                break;
            case MapFailed:
                if (_map is null)
                {
                    _mapRetryAt = _time.GetTimestamp() + Ticks(MapRetryDelay);
                }

                break;
            case RefreshRequest:
                _ = RefreshMapAsync(force: false);
                break;
            case ShardReleased released:
                if (_shards.TryGetValue(released.ShardId, out var buffer))
                {
                    buffer.InFlight = false;
                }

                break;
            case BatchDone:
                _inFlightBatches--;
                break;
            case FlushRequest flush:
                _flushing = flush.Epoch;
                break;
        }
    }

    private void Route(UserRecord record, HashKey hashKey)
    {
        if (record.IsCompleted)
        {
            return;
        }

        var index = _map?.RouteIndex(hashKey) ?? -1;
        if (index < 0)
        {
            // No map yet, or the key falls in a gap of a map taken mid-reshard: hold it until a map covers it.
            _unrouted.Add((record, hashKey));
            if (_map is not null)
            {
                _ = RefreshMapAsync(force: false);
            }

            return;
        }

        // The buffer by the map's shard index: no lookup by shard id string per record.
        var buffer = _routed[index] ??= BufferFor(_map!.OpenShardIds[index]);
        Add(buffer, record);
    }

    private void Add(ShardBuffer buffer, UserRecord record)
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

    private static bool TryAggregate(Aggregation.AggregateBuilder builder, UserRecord record) =>
        record.Lengths is null
            ? builder.TryAdd(record.PartitionKey, record.ExplicitHashKey, record.Data.Span)
            : builder.TryAddRun(record.PartitionKey, record.ExplicitHashKey, record.Data.Span, record.Lengths);

    private void Seal(ShardBuffer buffer)
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

    private void Enqueue(ShardBuffer buffer, KinesisRecordItem item)
    {
        buffer.Ready.Enqueue(item);
        _readyCount++;
        _readyBytes += item.Size;
    }

    private void SealDue(long now)
    {
        foreach (var buffer in _shardOrder)
        {
            if (buffer.Pending.Count > 0 && (FlushPending || buffer.PendingSince + _lingerTicks <= now))
            {
                Seal(buffer);
            }
        }
    }

    private void OnMapRefreshed(ShardMap map)
    {
        _map = map;
        _routed = new ShardBuffer?[map.OpenShardIds.Count];
        _mapRetryAt = long.MaxValue;

        // Buffers for shards that closed: take their unsent records apart and route them again.
        List<UserRecord>? moved = null;
        for (var i = _shardOrder.Count - 1; i >= 0; i--)
        {
            var buffer = _shardOrder[i];
            if (map.IsOpen(buffer.ShardId) || buffer.InFlight)
            {
                continue;
            }

            moved ??= [];
            moved.AddRange(buffer.Pending);
            ClearPending(buffer);
            buffer.Builder?.Reset();
            while (buffer.Ready.TryDequeue(out var item))
            {
                _readyCount--;
                _readyBytes -= item.Size;
                foreach (var record in item.Records)
                {
                    record.Leave(item.Attempts);
                }

                moved.AddRange(item.Records);
                item.ReleaseData();
            }

            buffer.Dispose();
            _shards.Remove(buffer.ShardId);
            _shardOrder.RemoveAt(i);
        }

        var waiting = _unrouted.ToArray();
        _unrouted.Clear();
        foreach (var (record, hashKey) in waiting)
        {
            Route(record, hashKey);
        }

        if (moved is not null)
        {
            foreach (var record in moved)
            {
                Route(record, record.ComputeHashKey());
            }
        }
    }

    private void ExpireDue(long now)
    {
        foreach (var buffer in _shardOrder)
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
                    _readyCount--;
                    _readyBytes -= item.Size;
                    item.ReleaseData();
                    foreach (var record in item.Records)
                    {
                        record.TryFail(RecordFailure.Expired, ExpiredMessage(record, "while waiting for the shard's rate limit or a free connection", item.Attempts), item.Attempts);
                    }
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

        if (_unrouted.Count > 0)
        {
            var why = _maps.LastError is { } error
                ? $"while the stream's shards could not be listed ({error.Message})"
                : "while waiting for the stream's shard map";
            _unrouted.RemoveAll(entry =>
                entry.Record.IsCompleted || (entry.Record.Deadline <= now && entry.Record.TryFail(RecordFailure.Expired, ExpiredMessage(entry.Record, why))));
        }
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

    private string ExpiredMessage(UserRecord record, string why, List<Attempt>? current = null) =>
        $"RecordTtl ({_options.RecordTtl.TotalSeconds:0.###} s) passed {why}; {record.AttemptCountWith(current)} attempt(s) made.";

    private void FailEverything(string code, string message)
    {
        while (_inbox.Reader.TryRead(out var inbox))
        {
            var item = inbox.Message;
            if (item is UserRecord record)
            {
                _received += record.Count;
                record.TryFail(code, message);
            }
            else if (item is RerouteRecords reroute)
            {
                reroute.Records.ForEach(r => r.TryFail(code, message));
            }
        }

        ReportReceived();
        foreach (var (record, _) in _unrouted)
        {
            record.TryFail(code, message);
        }

        _unrouted.Clear();
        foreach (var buffer in _shardOrder)
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

        _readyCount = 0;
        _readyBytes = 0;
    }

    private static void ClearPending(ShardBuffer buffer)
    {
        buffer.Pending.Clear();
        buffer.PendingFirstAccepted = long.MaxValue;
        buffer.PendingDataBytes = 0;
    }
}
