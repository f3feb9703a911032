using System.Collections.Concurrent;

namespace Kinesis.Clients.Testing;

/// <summary>Every shard the proxy has met, by stream and shard id.</summary>
internal sealed class ShardRegistry
{
    private readonly ConcurrentDictionary<(string Stream, string Shard), ShardState> _shards = new();
    private readonly LimitSettings _limits;

    public ShardRegistry(LimitSettings limits)
    {
        _limits = limits;
    }

    public ShardState Get(string streamName, string shardId) =>
        _shards.GetOrAdd((streamName, shardId), static (key, limits) => new ShardState(key.Stream, key.Shard, limits), _limits);

    public bool TryGet(string streamName, string shardId, out ShardState? state) =>
        _shards.TryGetValue((streamName, shardId), out state);

    public IReadOnlyList<ShardTraffic> Snapshot() =>
        _shards.Values
            .Select(s => s.Snapshot())
            .OrderBy(t => t.StreamName, StringComparer.Ordinal)
            .ThenBy(t => t.ShardId, StringComparer.Ordinal)
            .ToList();

    public void ResetCounters()
    {
        foreach (var shard in _shards.Values)
        {
            shard.ResetCounters();
        }
    }
}
