namespace Kinesis.Clients.Encryption;

/// <summary>
/// The decrypted data keys a reader holds, and KMS's refusals, each for a bounded time, the least recently used
/// evicted first past a bounded count. Keyed by everything KMS checked (key id, encrypted key, context), so a
/// record with another context never finds a key decrypted for a different one. Thread-safe (one lock; a lookup
/// is a dictionary read).
/// </summary>
internal sealed class DataKeyCache
{
    private readonly Dictionary<string, LinkedListNode<Entry>> _entries = new(StringComparer.Ordinal);
    private readonly LinkedList<Entry> _recency = new();
    private readonly int _capacity;
    private readonly TimeSpan _maxAge;
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();

    public DataKeyCache(int capacity, TimeSpan maxAge, TimeProvider time)
    {
        _capacity = capacity;
        _maxAge = maxAge;
        _time = time;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _entries.Count;
            }
        }
    }

    public static string KeyOf(in EncryptedHeader header) =>
        string.Concat(header.KeyId, "|", Convert.ToBase64String(header.EncryptedKey.Span), "|", Convert.ToBase64String(header.Context.Span));

    /// <summary>A live entry: a key, or a refusal (<see cref="Entry.Key"/> null, <see cref="Entry.Problem"/> set).</summary>
    public bool TryGet(string cacheKey, out Entry entry)
    {
        lock (_lock)
        {
            if (_entries.TryGetValue(cacheKey, out var node))
            {
                if (_time.GetElapsedTime(node.Value.StoredAt) < _maxAge)
                {
                    _recency.Remove(node);
                    _recency.AddFirst(node);
                    entry = node.Value;
                    return true;
                }

                _recency.Remove(node);
                _entries.Remove(cacheKey);
            }
        }

        entry = default;
        return false;
    }

    public void Add(string cacheKey, byte[]? key, string? problem)
    {
        lock (_lock)
        {
            if (_entries.Remove(cacheKey, out var old))
            {
                _recency.Remove(old);
            }

            _entries[cacheKey] = _recency.AddFirst(new Entry(cacheKey, key, problem, _time.GetTimestamp()));
            while (_entries.Count > _capacity)
            {
                var last = _recency.Last!;
                _recency.RemoveLast();
                _entries.Remove(last.Value.CacheKey);
            }
        }
    }

    internal readonly record struct Entry(string CacheKey, byte[]? Key, string? Problem, long StoredAt);
}
