namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// The argument rules and the resulting lease of every store write, shared by the DynamoDB and in-memory stores
/// so the two agree on what a write does.
/// </summary>
internal static class LeaseWrites
{
    public static void CheckKey(string leaseKey, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(leaseKey, paramName);
    }

    public static void CheckNew(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        CheckKey(lease.LeaseKey, nameof(lease));
        if (lease.LeaseOwner is { Length: 0 })
        {
            throw new ArgumentException($"Lease {lease.LeaseKey} has an empty owner; use null for no owner.", nameof(lease));
        }
    }

    /// <summary>A fenced write needs the lease as held: with its key and owner.</summary>
    public static string CheckHeld(Lease held)
    {
        ArgumentNullException.ThrowIfNull(held);
        CheckKey(held.LeaseKey, nameof(held));
        if (string.IsNullOrEmpty(held.LeaseOwner))
        {
            throw new ArgumentException(
                $"Lease {held.LeaseKey} has no owner: only a held lease can be renewed, released or checkpointed.", nameof(held));
        }

        return held.LeaseOwner;
    }

    public static void CheckOwner(string owner, string paramName) => ArgumentException.ThrowIfNullOrEmpty(owner, paramName);

    public static IReadOnlySet<string> CheckChildren(IReadOnlyCollection<string> childShardIds)
    {
        ArgumentNullException.ThrowIfNull(childShardIds);
        // DynamoDB has no empty string sets, so "no children" is the attribute's absence, never written here.
        if (childShardIds.Count == 0 || childShardIds.Any(string.IsNullOrEmpty))
        {
            throw new ArgumentException("Child shard ids must be one or more non-empty shard ids.", nameof(childShardIds));
        }

        return Lease.ToSet(childShardIds);
    }

    public static Lease Renewed(Lease current) => current with { LeaseCounter = current.LeaseCounter + 1 };

    /// <summary>
    /// A take ends any handoff in progress (the KCL 3.x take removes <c>checkpointOwner</c>) and counts an owner
    /// switch when the owner changes, or when the checkpoint owner takes its lease back.
    /// </summary>
    public static Lease Taken(Lease current, string newOwner) => current with
    {
        LeaseOwner = newOwner,
        CheckpointOwner = null,
        LeaseCounter = current.LeaseCounter + 1,
        OwnerSwitchesSinceCheckpoint = SwitchesOwner(current, newOwner)
            ? current.OwnerSwitchesSinceCheckpoint + 1
            : current.OwnerSwitchesSinceCheckpoint,
    };

    /// <summary>The KCL 3.x rule for counting an owner switch on a take.</summary>
    public static bool SwitchesOwner(Lease current, string newOwner) =>
        (current.LeaseOwner is not null && current.LeaseOwner != newOwner) || current.CheckpointOwner == newOwner;

    /// <summary>
    /// A release or eviction: removes the owner, or during a handoff only the checkpoint owner, so the lease goes
    /// to the owner the handoff named (the KCL 3.x eviction and handoff transfer).
    /// </summary>
    public static Lease Unowned(Lease current) => current.CheckpointOwner is not null
        ? current with { CheckpointOwner = null, LeaseCounter = current.LeaseCounter + 1 }
        : current with { LeaseOwner = null, LeaseCounter = current.LeaseCounter + 1 };

    public static Lease Checkpointed(Lease current, ExtendedSequenceNumber checkpoint) => current with
    {
        Checkpoint = checkpoint,
        OwnerSwitchesSinceCheckpoint = 0,
        PendingCheckpoint = null,
        PendingCheckpointState = null,
        LeaseCounter = current.LeaseCounter + 1,
    };

    public static Lease Prepared(Lease current, ExtendedSequenceNumber pending, byte[]? state) => current with
    {
        PendingCheckpoint = pending,
        PendingCheckpointState = state is null ? null : (byte[])state.Clone(),
        LeaseCounter = current.LeaseCounter + 1,
    };

    public static Lease WithChildren(Lease current, IReadOnlySet<string> children) => current with
    {
        ChildShardIds = children,
        LeaseCounter = current.LeaseCounter + 1,
    };

    public static void CheckPosition(ExtendedSequenceNumber position, string paramName)
    {
        if (position.SequenceNumber is null)
        {
            throw new ArgumentException("The checkpoint has no sequence number (a default value).", paramName);
        }
    }
}
