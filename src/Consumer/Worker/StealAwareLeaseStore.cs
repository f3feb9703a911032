using System.Collections.Concurrent;
using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// The worker's view of the lease table: passes every call through, and remembers which takes were steals from
/// a live owner (one whose counter moved within the failover time), so the new processor can wait for the old
/// owner to notice. A live owner learns of a steal only at its next renewal; starting at once would put two
/// processors on the shard for up to a renewal interval.
/// </summary>
internal sealed class StealAwareLeaseStore : ILeaseStore
{
    private readonly ILeaseStore _inner;
    private readonly TimeSpan _failoverTime;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, (long Counter, long ChangedAt)> _seen = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, bool> _stolen = new(StringComparer.Ordinal);

    public StealAwareLeaseStore(ILeaseStore inner, TimeSpan failoverTime, TimeProvider time)
    {
        _inner = inner;
        _failoverTime = failoverTime;
        _time = time;
    }

    /// <summary>Whether this worker's last take of the lease was a steal from a live owner; asks once.</summary>
    public bool TakeWasSteal(string leaseKey) => _stolen.TryRemove(leaseKey, out var live) && live;

    public Task<bool> CreateTableIfNotExistsAsync(CancellationToken cancellationToken = default) => _inner.CreateTableIfNotExistsAsync(cancellationToken);

    public async Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken = default)
    {
        var leases = await _inner.ListAsync(cancellationToken).ConfigureAwait(false);
        var now = _time.GetTimestamp();
        foreach (var lease in leases)
        {
            _seen.AddOrUpdate(lease.LeaseKey, (lease.LeaseCounter, now), (_, old) => old.Counter == lease.LeaseCounter ? old : (lease.LeaseCounter, now));
        }

        return leases;
    }

    public Task<Lease?> GetAsync(string leaseKey, CancellationToken cancellationToken = default) => _inner.GetAsync(leaseKey, cancellationToken);

    public Task<Lease?> CreateIfAbsentAsync(Lease lease, CancellationToken cancellationToken = default) => _inner.CreateIfAbsentAsync(lease, cancellationToken);

    public Task<Lease?> RenewAsync(Lease held, CancellationToken cancellationToken = default) => _inner.RenewAsync(held, cancellationToken);

    public async Task<Lease?> TakeAsync(Lease observed, string newOwner, CancellationToken cancellationToken = default)
    {
        var taken = await _inner.TakeAsync(observed, newOwner, cancellationToken).ConfigureAwait(false);
        if (taken is not null)
        {
            var live = observed.LeaseOwner is { } owner && owner != newOwner &&
                _seen.TryGetValue(observed.LeaseKey, out var seen) && seen.Counter == observed.LeaseCounter &&
                _time.GetElapsedTime(seen.ChangedAt) < _failoverTime;
            _stolen[observed.LeaseKey] = live;
        }

        return taken;
    }

    public Task<Lease?> EvictAsync(Lease observed, CancellationToken cancellationToken = default) => _inner.EvictAsync(observed, cancellationToken);

    public Task<Lease?> ReleaseAsync(Lease held, CancellationToken cancellationToken = default) => _inner.ReleaseAsync(held, cancellationToken);

    public Task<Lease?> UpdateCheckpointAsync(Lease held, ExtendedSequenceNumber checkpoint, CancellationToken cancellationToken = default) =>
        _inner.UpdateCheckpointAsync(held, checkpoint, cancellationToken);

    public Task<Lease?> PrepareCheckpointAsync(Lease held, ExtendedSequenceNumber pendingCheckpoint, byte[]? pendingCheckpointState, CancellationToken cancellationToken = default) =>
        _inner.PrepareCheckpointAsync(held, pendingCheckpoint, pendingCheckpointState, cancellationToken);

    public Task<Lease?> UpdateChildShardsAsync(Lease held, IReadOnlyCollection<string> childShardIds, CancellationToken cancellationToken = default) =>
        _inner.UpdateChildShardsAsync(held, childShardIds, cancellationToken);

    public Task<bool> DeleteAsync(Lease observed, CancellationToken cancellationToken = default) => _inner.DeleteAsync(observed, cancellationToken);
}
