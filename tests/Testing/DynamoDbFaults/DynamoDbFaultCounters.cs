using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Kinesis.Clients.Testing;

/// <summary>The counters behind <see cref="DynamoDbFaultStats"/>.</summary>
internal sealed class DynamoDbFaultCounters
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _requests = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<long>> _forwarded = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, DynamoDbFaultKind), StrongBox<long>> _injected = new();

    public void Request(string operation) => Increment(_requests, operation);

    public void Forwarded(string operation) => Increment(_forwarded, operation);

    public void Injected(string operation, DynamoDbFaultKind kind) => Increment(_injected, (operation, kind));

    public DynamoDbFaultStats Snapshot() => new(
        _requests.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal),
        _forwarded.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal),
        _injected.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value)));

    public void Reset()
    {
        _requests.Clear();
        _forwarded.Clear();
        _injected.Clear();
    }

    private static void Increment<TKey>(ConcurrentDictionary<TKey, StrongBox<long>> counts, TKey key)
        where TKey : notnull =>
        Interlocked.Increment(ref counts.GetOrAdd(key, static _ => new StrongBox<long>()).Value);
}
