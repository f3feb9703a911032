using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>Why a lease is deleted.</summary>
internal enum LeaseCleanupReason
{
    /// <summary>Its shard was processed to its end and all its children have started (the KCL's completed-lease cleanup).</summary>
    Completed,

    /// <summary>GetShardIterator said the shard does not exist and the stream no longer lists it (the KCL's garbage-lease cleanup).</summary>
    ShardNotFound,
}

/// <summary>One lease to delete, as observed: the delete is conditional on the row being unchanged since.</summary>
internal readonly record struct LeaseDeletion(Lease Lease, LeaseCleanupReason Reason);

/// <summary>What the cleanup knows at one moment.</summary>
/// <param name="Leases">Every lease in the table, from one listing.</param>
/// <param name="ListedShards">The shard ids the stream lists now; <see langword="null"/> when listing failed.</param>
/// <param name="NotFound">Lease keys whose shard GetShardIterator (or a subscription) said does not exist.</param>
/// <param name="CheckCompleted">Whether finished leases are looked at this round (the flag and its interval).</param>
internal sealed record LeaseCleanupInput(
    IReadOnlyList<Lease> Leases, IReadOnlySet<string>? ListedShards, IReadOnlySet<string> NotFound, bool CheckCompleted);

/// <summary>The leases to delete, and the children whose parents are then all done or gone.</summary>
internal sealed record LeaseCleanupDecision(IReadOnlyList<LeaseDeletion> Deletions, IReadOnlySet<string> ChildrenMayStart);

/// <summary>
/// The KCL's lease cleanup and lineage rules as one pure decision over a snapshot (LeaseCleanupManager,
/// BlockOnParentShardTask, HierarchicalShardSyncer), so every case is a table row in the tests.
/// </summary>
internal static class LeaseCleanup
{
    public static LeaseCleanupDecision Decide(LeaseCleanupInput input)
    {
        var byKey = input.Leases.ToDictionary(l => l.LeaseKey, StringComparer.Ordinal);
        var deletions = new List<LeaseDeletion>();
        foreach (var lease in input.Leases.OrderBy(l => l.LeaseKey, StringComparer.Ordinal))
        {
            if (IsGarbage(lease, input))
            {
                deletions.Add(new LeaseDeletion(lease, LeaseCleanupReason.ShardNotFound));
            }
            else if (input.CheckCompleted && IsCompleted(lease, byKey))
            {
                deletions.Add(new LeaseDeletion(lease, LeaseCleanupReason.Completed));
            }
        }

        foreach (var deletion in deletions)
        {
            byKey.Remove(deletion.Lease.LeaseKey);
        }

        var ready = byKey.Values
            .Where(l => l.ParentShardIds.Count > 0 && !l.IsFinished && ParentsDone(l, byKey, input.ListedShards))
            .Select(l => l.LeaseKey)
            .ToHashSet(StringComparer.Ordinal);
        return new LeaseCleanupDecision(deletions, ready);
    }

    /// <summary>
    /// Whether a child may be processed: every parent's lease is gone or at SHARD_END, or the parent's shard has aged
    /// out of the stream (the KCL only counts parents the stream still lists). A parent missing from a listing that
    /// has the child is gone for good: a parent is always older than its child, so no listing can show the child
    /// before it shows a live parent.
    /// </summary>
    public static bool ParentsDone(Lease child, IReadOnlyDictionary<string, Lease> leases, IReadOnlySet<string>? listedShards)
    {
        foreach (var parent in child.ParentShardIds)
        {
            if (!leases.TryGetValue(parent, out var lease) || lease.IsFinished)
            {
                continue;
            }

            if (listedShards is not null && listedShards.Contains(child.LeaseKey) && !listedShards.Contains(parent))
            {
                continue;
            }

            return false;
        }

        return true;
    }

    /// <summary>
    /// Both signals the KCL's garbage cleanup needs: the shard's reader was told it does not exist, and the stream
    /// does not list it. Either alone is not enough: a deleted stream consumer also answers ResourceNotFound, and a
    /// listing alone cannot tell an aged-out shard from a lease of another stream in a shared table.
    /// </summary>
    private static bool IsGarbage(Lease lease, LeaseCleanupInput input) =>
        input.NotFound.Contains(lease.LeaseKey) && input.ListedShards is { } listed && !listed.Contains(lease.LeaseKey);

    /// <summary>
    /// The KCL's cleanupLeaseForCompletedShard: at SHARD_END, every child has a lease whose checkpoint has left
    /// TRIM_HORIZON / AT_TIMESTAMP, and no parent still has a lease (so leases go oldest first).
    /// </summary>
    private static bool IsCompleted(Lease lease, Dictionary<string, Lease> byKey)
    {
        if (!lease.IsFinished || lease.ParentShardIds.Any(byKey.ContainsKey))
        {
            return false;
        }

        // A Java worker that ended the shard wrote its children; one that died first may not have, then the leases
        // that name it as parent are its children.
        var children = lease.ChildShardIds.Count > 0
            ? lease.ChildShardIds
            : byKey.Values.Where(l => l.ParentShardIds.Contains(lease.LeaseKey)).Select(l => l.LeaseKey).ToHashSet(StringComparer.Ordinal);
        return children.Count > 0 && children.All(c => byKey.TryGetValue(c, out var child) && HasStarted(child));
    }

    private static bool HasStarted(Lease child) =>
        child.Checkpoint.SequenceNumber is not (ExtendedSequenceNumber.TrimHorizonValue or ExtendedSequenceNumber.AtTimestampValue);
}
