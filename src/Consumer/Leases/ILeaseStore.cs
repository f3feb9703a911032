namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// The lease table: reads, and the conditional writes that make leases safe to share between workers.
/// </summary>
/// <remarks>
/// <para>
/// Every write that changes who may work on a shard is conditional, exactly as in the Java KCL 2.x, so a worker
/// that lost a race finds out from the write itself. A lost race (the condition failed, or the row is gone) returns
/// <see langword="null"/> and never throws; any other failure (network, throttling, missing table) throws.
/// A successful write returns the lease as it stands after the write, so the caller knows the counter its
/// next fenced write must match.
/// </para>
/// <para>
/// "Fenced" writes take the <c>held</c> lease and succeed only while the row still has that lease's
/// <see cref="Lease.LeaseCounter"/> and <see cref="Lease.LeaseOwner"/>; each adds one to the counter.
/// </para>
/// </remarks>
internal interface ILeaseStore
{
    /// <summary>Creates the table (hash key <c>leaseKey</c>) if it does not exist and waits until it is usable.</summary>
    /// <returns><see langword="true"/> if this call created it.</returns>
    Task<bool> CreateTableIfNotExistsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every lease, read consistently.</summary>
    Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken = default);

    /// <summary>One lease, read consistently; <see langword="null"/> if there is none with that key.</summary>
    Task<Lease?> GetAsync(string leaseKey, CancellationToken cancellationToken = default);

    /// <summary>Writes a new lease if none has its key.</summary>
    /// <returns>The lease as written, or <see langword="null"/> if one already existed (it is left as it was).</returns>
    Task<Lease?> CreateIfAbsentAsync(Lease lease, CancellationToken cancellationToken = default);

    /// <summary>Renews a held lease (fenced): the counter goes up by one and nothing else changes.</summary>
    Task<Lease?> RenewAsync(Lease held, CancellationToken cancellationToken = default);

    /// <summary>
    /// Takes a lease as observed in a listing: sets the owner and adds one to the counter, on condition that the
    /// counter is still the observed one (the KCL's rule; every change of owner moves the counter, so this also
    /// proves nobody else took it meanwhile). <c>ownerSwitchesSinceCheckpoint</c> goes up by one when the lease
    /// had a different owner.
    /// </summary>
    Task<Lease?> TakeAsync(Lease observed, string newOwner, CancellationToken cancellationToken = default);

    /// <summary>
    /// Removes the owner of a lease whatever its counter, on condition that the owner is still the observed one
    /// (the KCL's eviction); the counter goes up by one.
    /// </summary>
    Task<Lease?> EvictAsync(Lease observed, CancellationToken cancellationToken = default);

    /// <summary>Gives up a held lease (fenced): removes the owner so another worker can take it at once.</summary>
    Task<Lease?> ReleaseAsync(Lease held, CancellationToken cancellationToken = default);

    /// <summary>
    /// Checkpoints a held lease (fenced): sets the checkpoint, resets <c>ownerSwitchesSinceCheckpoint</c> to 0 and
    /// clears any pending checkpoint and its state.
    /// </summary>
    Task<Lease?> UpdateCheckpointAsync(Lease held, ExtendedSequenceNumber checkpoint, CancellationToken cancellationToken = default);

    /// <summary>
    /// Records the first half of a two-phase checkpoint on a held lease (fenced): sets the pending checkpoint and
    /// its state (a <see langword="null"/> state removes any earlier one); the checkpoint itself is unchanged.
    /// </summary>
    Task<Lease?> PrepareCheckpointAsync(
        Lease held, ExtendedSequenceNumber pendingCheckpoint, byte[]? pendingCheckpointState, CancellationToken cancellationToken = default);

    /// <summary>Records the children of a held lease's shard (fenced), as done when the shard ends.</summary>
    Task<Lease?> UpdateChildShardsAsync(Lease held, IReadOnlyCollection<string> childShardIds, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes a lease on condition that its row is still as observed: same counter, owner and checkpoint, so a
    /// concurrent renew, take, checkpoint or handoff by any worker (a Java KCL worker's too) wins over the delete.
    /// </summary>
    /// <returns><see langword="true"/> if this call deleted it; <see langword="false"/> if it was gone or had changed.</returns>
    Task<bool> DeleteAsync(Lease observed, CancellationToken cancellationToken = default);
}
