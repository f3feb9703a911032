using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// A message for a stream's loop. A new record comes with its hash key (see <see cref="UserRecord.ComputeHashKey"/>),
/// as a <see cref="UserRecord"/> or, when nobody watches it, as an <see cref="InboxEntry"/> (the message is then its chunk).
/// </summary>
internal readonly struct InboxItem
{
    public InboxItem(object message, HashKey key = default)
    {
        Message = message;
        Key = key;
    }

    public InboxItem(in InboxEntry entry, HashKey key)
    {
        Message = entry.Chunk;
        Entry = entry;
        Key = key;
    }

    public object Message { get; }

    public HashKey Key { get; }

    /// <summary>The record, when <see cref="Message"/> is an <see cref="InboxChunk"/>.</summary>
    public InboxEntry Entry { get; }
}

/// <summary>A new shard map was fetched.</summary>
internal sealed record MapRefreshed(ShardMap Map);

/// <summary>User records to route again (they landed on a shard not owning their hash keys).</summary>
internal sealed record RerouteRecords(List<UserRecord> Records);

/// <summary>A Kinesis record of the shard finished (ordered mode: the shard may send again).</summary>
internal sealed record ShardReleased(string ShardId);

/// <summary>A flush waits for the epoch to drain.</summary>
internal sealed record FlushRequest(FlushEpoch Epoch);

/// <summary>A sender saw a sign that the shard map is stale.</summary>
internal sealed class RefreshRequest
{
    public static readonly RefreshRequest Instance = new();
}

/// <summary>Fetching the shard map failed.</summary>
internal sealed class MapFailed
{
    public static readonly MapFailed Instance = new();
}

/// <summary>A request slot is free: its request finished, or its failed records went to wait out their backoff.</summary>
internal sealed class BatchDone
{
    public static readonly BatchDone Instance = new();
}

/// <summary>
/// A request whose records backed off asks for a slot to retry them; granted before any new request. The grant
/// charges <paramref name="Records"/> to their shards' rate limiters.
/// </summary>
internal sealed record SlotRequest(TaskCompletionSource Grant, KinesisRecordItem[] Records);

/// <summary>An attempt was answered (or ended unsent): its records, charged when it was planned or granted, are no longer on their way.</summary>
internal sealed record AttemptAnswered(KinesisRecordItem[] Records);
