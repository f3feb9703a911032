namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// A lease this worker holds: the row as its last successful write left it, and when (by this worker's clock)
/// that write was sent. Writes to one lease go one at a time through <see cref="Gate"/>, because a renewal and a
/// checkpoint racing on the same counter would make one of them look like a lost lease. The gate is never
/// disposed: a write may still be waiting on it after the lease is dropped, and without a wait handle it holds
/// nothing to free.
/// </summary>
internal sealed class HeldLease(Lease lease, long writtenAt)
{
    private Lease _lease = lease;
    private long _writtenAt = writtenAt;

    public SemaphoreSlim Gate { get; } = new(1, 1);

    public Lease Lease => Volatile.Read(ref _lease);

    /// <summary>
    /// When the last successful write was sent. Other workers cannot have seen the counter change before then,
    /// so measuring expiry from here makes this worker give a lease up no later than any other may take it.
    /// </summary>
    public long WrittenAt => Interlocked.Read(ref _writtenAt);

    public void Update(Lease lease, long sentAt)
    {
        Volatile.Write(ref _lease, lease);
        Interlocked.Exchange(ref _writtenAt, sentAt);
    }

    public bool IsExpired(TimeProvider time, TimeSpan failoverTime) => time.GetElapsedTime(WrittenAt) >= failoverTime;
}
