using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Puts a stream's user records into the shard buffers of the shards the current map predicts, and holds those no
/// map covers yet (before the first map, or in a gap of a map taken mid-reshard) until one does. A new map moves
/// the unsent records of shards that closed to their new shards. Owned by the stream's loop; does no I/O (it asks
/// for a map refresh through a callback).
/// </summary>
internal sealed class RecordRouter
{
    private readonly ShardBuffers _buffers;
    private readonly Action _refreshMap;
    private readonly List<(UserRecord Record, HashKey Key)> _unrouted = [];
    private ShardMap? _map;

    /// <param name="buffers">The stream's shard buffers.</param>
    /// <param name="refreshMap">Asks for a newer shard map (a key fell in a gap of the current one).</param>
    public RecordRouter(ShardBuffers buffers, Action refreshMap)
    {
        _buffers = buffers;
        _refreshMap = refreshMap;
    }

    /// <summary>The current shard map; <see langword="null"/> until the first one arrives.</summary>
    public ShardMap? Map => _map;

    /// <summary>Whether user records wait for a map covering their hash keys.</summary>
    public bool HasUnrouted => _unrouted.Count > 0;

    /// <summary>Puts the record into its predicted shard's buffer at <paramref name="now"/>, or holds it until a map covers <paramref name="hashKey"/>.</summary>
    public void Route(UserRecord record, HashKey hashKey, long now)
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
                _refreshMap();
            }

            return;
        }

        _buffers.Add(_buffers.Routed(_map!, index, now), record);
    }

    /// <summary>
    /// As <see cref="Route(UserRecord, HashKey, long)"/>, for a record nobody watches straight from the inbox, taken
    /// in (accepted) at <paramref name="now"/>: it becomes a user record of its own only if it must wait for a map.
    /// </summary>
    public void Route(in InboxEntry entry, HashKey hashKey, long now)
    {
        var index = _map?.RouteIndex(hashKey) ?? -1;
        if (index < 0)
        {
            Route(entry.ToRecord(now), hashKey, now);
            return;
        }

        _buffers.Add(_buffers.Routed(_map!, index, now), entry, now);
    }

    /// <summary>Takes a new map: routes the records held and those of shards that closed.</summary>
    public void OnMapRefreshed(ShardMap map, long now)
    {
        _map = map;
        _buffers.ResetRoutes(map.OpenShardIds.Count);

        // Buffers for shards that closed: their unsent records are routed again.
        var moved = _buffers.RemoveClosed(map.IsOpen);
        var waiting = _unrouted.ToArray();
        _unrouted.Clear();
        foreach (var (record, hashKey) in waiting)
        {
            Route(record, hashKey, now);
        }

        if (moved is not null)
        {
            foreach (var record in moved)
            {
                Route(record, record.ComputeHashKey(), now);
            }
        }
    }

    /// <summary>Fails the held records whose deadline has passed at <paramref name="now"/> as Expired, with <paramref name="message"/>'s words; forgets completed ones.</summary>
    public void ExpireUnrouted(long now, Func<UserRecord, string> message) =>
        _unrouted.RemoveAll(entry =>
            entry.Record.IsCompleted || (entry.Record.Deadline <= now && entry.Record.TryFail(RecordFailure.Expired, message(entry.Record))));

    /// <summary>Fails every held record (shutdown or a crash of the loop).</summary>
    public void FailUnrouted(string code, string message)
    {
        foreach (var (record, _) in _unrouted)
        {
            record.TryFail(code, message);
        }

        _unrouted.Clear();
    }
}
