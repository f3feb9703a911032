using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Which open shard owns a hash key, from one ListShards snapshot; and the range of any shard seen,
/// so that a record landing on a shard other than predicted can be checked against that shard's range.
/// Immutable: a refresh builds a new map.
/// </summary>
internal sealed class ShardMap
{
    private readonly HashKey[] _starts;
    private readonly HashKey[] _ends;
    private readonly string[] _ids;
    private readonly Dictionary<string, HashKeyRange> _ranges;

    public ShardMap(IEnumerable<Shard> openShards, IReadOnlyDictionary<string, HashKeyRange>? earlierRanges = null, long version = 1)
    {
        ArgumentNullException.ThrowIfNull(openShards);
        var listed = openShards.ToArray();
        var open = listed.Where(s => s.IsOpen).OrderBy(s => s.HashKeyRange.StartingHashKey).ToArray();
        _starts = open.Select(s => s.HashKeyRange.StartingHashKey).ToArray();
        _ends = open.Select(s => s.HashKeyRange.EndingHashKey).ToArray();
        _ids = open.Select(s => s.ShardId).ToArray();
        _ranges = earlierRanges is null ? new Dictionary<string, HashKeyRange>(StringComparer.Ordinal) : new(earlierRanges, StringComparer.Ordinal);
        foreach (var shard in listed)
        {
            _ranges[shard.ShardId] = shard.HashKeyRange;
        }

        Version = version;
    }

    /// <summary>Grows by one with every refresh.</summary>
    public long Version { get; }

    public IReadOnlyList<string> OpenShardIds => _ids;

    public IReadOnlyDictionary<string, HashKeyRange> KnownRanges => _ranges;

    /// <summary>The open shard whose range holds <paramref name="hashKey"/>, or <see langword="null"/> in a gap (mid-reshard).</summary>
    public string? Route(HashKey hashKey)
    {
        // The last shard starting at or below the key owns it, if its range reaches that far.
        int lo = 0, hi = _starts.Length - 1, found = -1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_starts[mid] <= hashKey)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return found >= 0 && hashKey <= _ends[found] ? _ids[found] : null;
    }

    public bool IsOpen(string shardId) => Array.IndexOf(_ids, shardId) >= 0;

    public bool TryGetRange(string shardId, out HashKeyRange range) => _ranges.TryGetValue(shardId, out range);
}
