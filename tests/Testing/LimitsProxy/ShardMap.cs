using Kinesis.Clients.Records;

namespace Kinesis.Clients.Testing;

/// <summary>The open shards of one stream by hash key range: answers "which shard takes this record".</summary>
internal sealed class ShardMap
{
    private readonly UInt128[] _starts;
    private readonly UInt128[] _ends;
    private readonly ShardState[] _shards;
    private readonly HashSet<string> _ids;

    public ShardMap(IEnumerable<(HashKeyRange Range, ShardState Shard)> shards)
    {
        var ordered = shards.OrderBy(s => s.Range.StartingHashKey).ToArray();
        _starts = ordered.Select(s => s.Range.StartingHashKey.Value).ToArray();
        _ends = ordered.Select(s => s.Range.EndingHashKey.Value).ToArray();
        _shards = ordered.Select(s => s.Shard).ToArray();
        _ids = new HashSet<string>(_shards.Select(s => s.ShardId), StringComparer.Ordinal);
    }

    public IReadOnlyList<ShardState> Shards => _shards;

    /// <summary>The shard whose range holds <paramref name="key"/>, or <see langword="null"/> if none does.</summary>
    public ShardState? Find(HashKey key)
    {
        var index = Array.BinarySearch(_starts, key.Value);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return index >= 0 && key.Value <= _ends[index] ? _shards[index] : null;
    }

    public bool Contains(string shardId) => _ids.Contains(shardId);

    public bool SameShardsAs(ShardMap other) =>
        _ids.SetEquals(other._ids);
}
