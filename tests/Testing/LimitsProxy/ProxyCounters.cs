using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace Kinesis.Clients.Testing;

/// <summary>The proxy-wide counters behind <see cref="LimitsProxyStats"/>; shard counters live in <see cref="ShardState"/>.</summary>
internal sealed class ProxyCounters
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _operations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StrongBox<long>> _signingKeys = new(StringComparer.Ordinal);
    private long _putRecordsRequests;
    private long _throttledPutRecordsRequests;
    private long _throttledPutRecordsEntries;
    private long _throttledPutRecord;
    private long _throttledGetRecords;
    private long _injectedFailures;
    private long _injectedResets;
    private long _injectedEntryFailures;

    public void Request(string operation) =>
        Interlocked.Increment(ref _operations.GetOrAdd(operation, static _ => new StrongBox<long>()).Value);

    public void SignedBy(string accessKey) =>
        Interlocked.Increment(ref _signingKeys.GetOrAdd(accessKey, static _ => new StrongBox<long>()).Value);

    public void PutRecords(int throttledEntries)
    {
        Interlocked.Increment(ref _putRecordsRequests);
        if (throttledEntries > 0)
        {
            Interlocked.Increment(ref _throttledPutRecordsRequests);
            Interlocked.Add(ref _throttledPutRecordsEntries, throttledEntries);
        }
    }

    public void ThrottledPutRecord() => Interlocked.Increment(ref _throttledPutRecord);

    public void ThrottledGetRecords() => Interlocked.Increment(ref _throttledGetRecords);

    public void InjectedFailure() => Interlocked.Increment(ref _injectedFailures);

    public void InjectedReset() => Interlocked.Increment(ref _injectedResets);

    public void InjectedEntryFailures(int count) => Interlocked.Add(ref _injectedEntryFailures, count);

    public LimitsProxyStats Snapshot(ShardRegistry shards) => new(
        _operations.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal),
        Interlocked.Read(ref _putRecordsRequests),
        Interlocked.Read(ref _throttledPutRecordsRequests),
        Interlocked.Read(ref _throttledPutRecordsEntries),
        Interlocked.Read(ref _throttledPutRecord),
        Interlocked.Read(ref _throttledGetRecords),
        Interlocked.Read(ref _injectedFailures),
        Interlocked.Read(ref _injectedResets),
        Interlocked.Read(ref _injectedEntryFailures),
        shards.Snapshot(),
        _signingKeys.ToDictionary(p => p.Key, p => Interlocked.Read(ref p.Value.Value), StringComparer.Ordinal));

    public void Reset()
    {
        foreach (var count in _operations.Values.Concat(_signingKeys.Values))
        {
            Interlocked.Exchange(ref count.Value, 0);
        }

        Interlocked.Exchange(ref _putRecordsRequests, 0);
        Interlocked.Exchange(ref _throttledPutRecordsRequests, 0);
        Interlocked.Exchange(ref _throttledPutRecordsEntries, 0);
        Interlocked.Exchange(ref _throttledPutRecord, 0);
        Interlocked.Exchange(ref _throttledGetRecords, 0);
        Interlocked.Exchange(ref _injectedFailures, 0);
        Interlocked.Exchange(ref _injectedResets, 0);
        Interlocked.Exchange(ref _injectedEntryFailures, 0);
    }
}
