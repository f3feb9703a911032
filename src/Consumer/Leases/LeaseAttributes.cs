namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// The attribute names of the KCL 2.x lease table, exactly as the Java KCL writes them, so that a Java KCL
/// fleet and this library can share one table.
/// </summary>
internal static class LeaseAttributes
{
    public const string LeaseKey = "leaseKey";
    public const string LeaseOwner = "leaseOwner";
    public const string LeaseCounter = "leaseCounter";
    public const string Checkpoint = "checkpoint";
    public const string CheckpointSubSequenceNumber = "checkpointSubSequenceNumber";
    public const string OwnerSwitchesSinceCheckpoint = "ownerSwitchesSinceCheckpoint";
    public const string PendingCheckpoint = "pendingCheckpoint";
    public const string PendingCheckpointSubSequenceNumber = "pendingCheckpointSubSequenceNumber";
    public const string PendingCheckpointState = "pendingCheckpointState";
    public const string ParentShardId = "parentShardId";
    public const string ChildShardIds = "childShardIds";
    public const string StartingHashKey = "startingHashKey";
    public const string EndingHashKey = "endingHashKey";

    /// <summary>Multi-stream leases: the serialized stream identifier (the KCL keeps the name <c>streamName</c> for it).</summary>
    public const string StreamName = "streamName";

    /// <summary>Multi-stream leases: the shard id the key ends with.</summary>
    public const string ShardId = "shardId";

    /// <summary>KCL 3.x: the old owner during a graceful handoff.</summary>
    public const string CheckpointOwner = "checkpointOwner";

    /// <summary>KCL 3.5: what a row is; absent or <see cref="LeaseEntityType"/> on leases.</summary>
    public const string EntityType = "entityType";

    /// <summary>The <see cref="EntityType"/> value of a lease row.</summary>
    public const string LeaseEntityType = "LEASE";
}
