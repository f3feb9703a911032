namespace Kinesis.Clients.Consumer;

/// <summary>Lease cleanup, with the names and defaults of the KCL's LeaseManagementConfig and LeaseCleanupConfig.</summary>
public sealed partial class KinesisConsumerOptions
{
    /// <summary>
    /// Whether the lease of a shard processed to its end is deleted once all its children have started and its own
    /// parents' leases are gone (the KCL's <c>cleanupLeasesUponShardCompletion</c>). Leases of shards the stream no
    /// longer has are deleted whatever this says. <value>Default: <see langword="true"/>, as in the KCL.</value>
    /// </summary>
    public bool CleanupLeasesUponShardCompletion { get; set; } = true;

    /// <summary>
    /// How often the cleanup looks for leases to delete (the KCL's <c>leaseCleanupIntervalMillis</c>).
    /// <value>Default: 1 minute, as in the KCL.</value>
    /// </summary>
    public TimeSpan LeaseCleanupInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long after start, or after it last deleted one, the cleanup waits before it looks for finished leases
    /// again (the KCL's <c>completedLeaseCleanupIntervalMillis</c>). <value>Default: 5 minutes, as in the KCL.</value>
    /// </summary>
    public TimeSpan CompletedLeaseCleanupInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long the cleanup waits before it checks again a lease whose shard was reported missing but is still
    /// listed (the KCL's <c>garbageLeaseCleanupIntervalMillis</c>); a shard reported missing is checked at once.
    /// <value>Default: 30 minutes, as in the KCL.</value>
    /// </summary>
    public TimeSpan GarbageLeaseCleanupInterval { get; set; } = TimeSpan.FromMinutes(30);

    private void ValidateCleanup()
    {
        Positive(LeaseCleanupInterval, nameof(LeaseCleanupInterval));
        Positive(CompletedLeaseCleanupInterval, nameof(CompletedLeaseCleanupInterval));
        Positive(GarbageLeaseCleanupInterval, nameof(GarbageLeaseCleanupInterval));
    }
}
