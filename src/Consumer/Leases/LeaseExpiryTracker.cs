namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// Remembers, per lease, the last counter this worker saw and when (by this worker's monotonic clock) it last
/// saw it change. A lease whose counter has not moved for the failover time is expired: its owner has stopped
/// renewing. Clocks of different workers are never compared; only how long this worker has watched a counter
/// stand still counts. Not thread-safe: one take loop owns it.
/// </summary>
internal sealed class LeaseExpiryTracker(TimeProvider timeProvider)
{
    private readonly TimeProvider _time = timeProvider ?? throw new ArgumentNullException(nameof(timeProvider));
    private readonly Dictionary<string, Observation> _seen = new(StringComparer.Ordinal);

    public int Count => _seen.Count;

    /// <summary>
    /// Takes in a fresh listing. The timestamp should be taken once the listing has arrived (as the KCL does),
    /// so time spent scanning never counts towards expiry.
    /// </summary>
    /// <remarks>
    /// A lease seen for the first time counts as changed now, so a worker that just started waits a whole
    /// failover time before taking leases from owners it has never watched. Leases gone from the table are
    /// forgotten.
    /// </remarks>
    public void Observe(IEnumerable<Lease> leases, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(leases);
        var present = new HashSet<string>(StringComparer.Ordinal);
        foreach (var lease in leases)
        {
            present.Add(lease.LeaseKey);
            if (!_seen.TryGetValue(lease.LeaseKey, out var before) || before.Counter != lease.LeaseCounter)
            {
                _seen[lease.LeaseKey] = new Observation(lease.LeaseCounter, timestamp);
            }
        }

        if (present.Count != _seen.Count)
        {
            foreach (var key in _seen.Keys.Where(k => !present.Contains(k)).ToList())
            {
                _seen.Remove(key);
            }
        }
    }

    /// <summary>Records a counter this worker wrote itself (a take), so its own write is not mistaken for staleness.</summary>
    public void Observe(Lease lease, long timestamp)
    {
        ArgumentNullException.ThrowIfNull(lease);
        _seen[lease.LeaseKey] = new Observation(lease.LeaseCounter, timestamp);
    }

    /// <summary>How long the lease's counter has stood still as of <paramref name="timestamp"/>; zero for a lease never seen.</summary>
    public TimeSpan UnchangedFor(string leaseKey, long timestamp) =>
        _seen.TryGetValue(leaseKey, out var observation) ? Elapsed(observation.ChangedAt, timestamp) : TimeSpan.Zero;

    /// <summary>Whether the lease's counter has stood still for at least <paramref name="failoverTime"/>.</summary>
    public bool IsExpired(string leaseKey, long timestamp, TimeSpan failoverTime) =>
        _seen.ContainsKey(leaseKey) && UnchangedFor(leaseKey, timestamp) >= failoverTime;

    /// <summary>How long each known lease's counter has stood still, as the balancer takes it.</summary>
    public IReadOnlyDictionary<string, TimeSpan> Snapshot(long timestamp) =>
        _seen.ToDictionary(p => p.Key, p => Elapsed(p.Value.ChangedAt, timestamp), StringComparer.Ordinal);

    /// <summary>
    /// Time from <paramref name="timestamp"/> until the first of <paramref name="leaseKeys"/> reaches the failover
    /// time; leases already expired, or never seen, do not count. <see langword="null"/> when none is due.
    /// </summary>
    public TimeSpan? UntilNextExpiry(IEnumerable<string> leaseKeys, long timestamp, TimeSpan failoverTime)
    {
        ArgumentNullException.ThrowIfNull(leaseKeys);
        TimeSpan? next = null;
        foreach (var key in leaseKeys)
        {
            if (_seen.TryGetValue(key, out var observation))
            {
                var left = failoverTime - Elapsed(observation.ChangedAt, timestamp);
                if (left > TimeSpan.Zero && (next is null || left < next))
                {
                    next = left;
                }
            }
        }

        return next;
    }

    private TimeSpan Elapsed(long from, long to) => to <= from ? TimeSpan.Zero : _time.GetElapsedTime(from, to);

    private readonly record struct Observation(long Counter, long ChangedAt);
}
