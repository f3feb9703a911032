using System.Collections.Concurrent;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Which shard each shard iterator reads, learnt from GetShardIterator replies and passed on to each
/// GetRecords reply's NextShardIterator.
/// </summary>
internal sealed class IteratorMap
{
    // Iterators live five minutes at the service; a test process never needs more than this many at once,
    // and forgetting them all only means a few reads go unlimited.
    private const int MaxIterators = 200_000;

    private readonly ConcurrentDictionary<string, ShardState> _iterators = new(StringComparer.Ordinal);

    public void Add(string iterator, ShardState shard)
    {
        if (_iterators.Count >= MaxIterators)
        {
            _iterators.Clear();
        }

        _iterators[iterator] = shard;
    }

    public ShardState? Find(string iterator) => _iterators.GetValueOrDefault(iterator);
}
