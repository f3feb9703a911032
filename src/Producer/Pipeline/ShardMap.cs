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

    // For each value of a hash key's top JumpBits bits, the range of shard indexes the search can end on,
    // so routing takes one or two comparisons instead of a binary search over every shard (8 unpredictable
    // branches for 256 shards, 4 % of the producer's time).
    private readonly int[] _jumpFirst;
    private readonly int[] _jumpLast;

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
        (_jumpFirst, _jumpLast) = BuildJumpTable();
    }

    /// <summary>Grows by one with every refresh.</summary>
    public long Version { get; }

    public IReadOnlyList<string> OpenShardIds => _ids;

    public IReadOnlyDictionary<string, HashKeyRange> KnownRanges => _ranges;

    /// <summary>The open shard whose range holds <paramref name="hashKey"/>, or <see langword="null"/> in a gap (mid-reshard).</summary>
    public string? Route(HashKey hashKey) => RouteIndex(hashKey) is var i and >= 0 ? _ids[i] : null;

    /// <summary>The index in <see cref="OpenShardIds"/> of the shard owning <paramref name="hashKey"/>, or -1 in a gap.</summary>
    public int RouteIndex(HashKey hashKey)
    {
        var prefix = (int)(hashKey.Value >> (128 - JumpBits));
        var found = LastStartingAtOrBelow(hashKey, _jumpFirst[prefix], _jumpLast[prefix]);
        return found >= 0 && hashKey <= _ends[found] ? found : -1;
    }

    public bool IsOpen(string shardId) => Array.IndexOf(_ids, shardId) >= 0;

    public bool TryGetRange(string shardId, out HashKeyRange range) => _ranges.TryGetValue(shardId, out range);

    private const int JumpBits = 12;

    /// <summary>
    /// The last shard (by start) starting at or below <paramref name="hashKey"/>, known to be in
    /// [<paramref name="first"/>, <paramref name="last"/>] where first may be -1 (none).
    /// </summary>
    private int LastStartingAtOrBelow(HashKey hashKey, int first, int last)
    {
        int lo = first + 1, hi = last, found = first;
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

        return found;
    }

    private (int[] First, int[] Last) BuildJumpTable()
    {
        // For prefix p the keys run from p << shift to ((p + 1) << shift) - 1; the answer for any of them lies
        // between the answers for those two ends, which a full search gives.
        var first = new int[1 << JumpBits];
        var last = new int[1 << JumpBits];
        const int shift = 128 - JumpBits;
        var span = UInt128.One << shift;
        for (var p = 0; p < first.Length; p++)
        {
            var low = (UInt128)(uint)p << shift;
            first[p] = LastStartingAtOrBelow(new HashKey(low), -1, _starts.Length - 1);
            last[p] = LastStartingAtOrBelow(new HashKey(low + (span - 1)), -1, _starts.Length - 1);
        }

        return (first, last);
    }
}
