using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// Settings for <see cref="LeaseCoordinator"/>, with the Java KCL 2.x's names and defaults. Validated when the
/// coordinator is built: a bad value throws <see cref="ArgumentException"/> naming it.
/// </summary>
internal sealed class LeaseCoordinatorOptions
{
    /// <summary>The KCL's <c>epsilonMillis</c>: slack taken off the renewal interval and added to the take interval.</summary>
    public static readonly TimeSpan Epsilon = TimeSpan.FromMilliseconds(25);

    /// <summary>This worker's id, written as <c>leaseOwner</c>; unique per running worker. <value>Required.</value></summary>
    public required string WorkerId { get; init; }

    /// <summary>
    /// How long a lease's counter must stand still (as each worker's own clock measures it) before other workers
    /// may take it. <value>Default: 10 s (the KCL's failoverTimeMillis).</value>
    /// </summary>
    public TimeSpan FailoverTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How often held leases are renewed; at most half of <see cref="FailoverTime"/>, so one failed renewal does
    /// not lose a lease. <value>Default: <see cref="FailoverTime"/> / 3 − 25 ms (the KCL's).</value>
    /// </summary>
    public TimeSpan? RenewalInterval { get; set; }

    /// <summary>
    /// Pause between take rounds (list, balance, take). <value>Default: 2 × (<see cref="FailoverTime"/> + 25 ms),
    /// the KCL's.</value>
    /// </summary>
    public TimeSpan? TakeInterval { get; set; }

    /// <summary>Most leases this worker holds. <value>Default: unbounded.</value></summary>
    public int MaxLeasesForWorker { get; set; } = int.MaxValue;

    /// <summary>Most leases taken from another worker in one take round. <value>Default: 1 (the KCL's).</value></summary>
    public int MaxLeasesToStealAtOneTime { get; set; } = 1;

    /// <summary>
    /// Leases unrenewed for this many failover times are taken even above the fair share; 0 turns it off.
    /// <value>Default: 3 (the KCL's veryOldLeaseDurationNanosMultiplier).</value>
    /// </summary>
    public int VeryOldLeaseMultiplier { get; set; } = 3;

    /// <summary>Most renewals in flight at once. <value>Default: 20 (the KCL's maxLeaseRenewalThreads).</value></summary>
    public int MaxConcurrentRenewals { get; set; } = 20;

    /// <summary>
    /// Called on the coordinator's loop when this worker takes a lease. Must be quick and must not block: post
    /// the work elsewhere. Exceptions are logged and ignored. <value>Default: none.</value>
    /// </summary>
    public Action<Lease>? OnLeaseAcquired { get; set; }

    /// <summary>
    /// Called with the lease key when this worker finds it no longer holds a lease (taken by another worker,
    /// deleted, or expired by this worker's own clock), on whichever loop or call found out. Same rules as
    /// <see cref="OnLeaseAcquired"/>. Not called for leases given up through a release. <value>Default: none.</value>
    /// </summary>
    public Action<string>? OnLeaseLost { get; set; }

    /// <summary>
    /// Called with the lease key when a KCL 3.x leader asks this worker to hand a held lease to another (it sets
    /// <c>checkpointOwner</c> to this worker and <c>leaseOwner</c> to the next). The worker should let its processor
    /// checkpoint, then release the lease, which transfers it. Same rules as <see cref="OnLeaseAcquired"/>.
    /// <value>Default: none.</value>
    /// </summary>
    public Action<string>? OnLeaseHandoffRequested { get; set; }

    /// <summary>Clock for renewals, expiry and scheduling. <value>Default: <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Called with +1 when a held lease's renewal starts failing and -1 when it succeeds again or the lease is no
    /// longer held (the sum is the number of leases whose renewals fail now), for a gauge.
    /// </summary>
    public Action<int>? OnRenewalsFailingChanged { get; set; }

    /// <summary>Logging. <value>Default: none.</value></summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Where renewal and take rounds are reported (the KCL's lease metrics). <value>Default: nowhere.</value></summary>
    public ILeaseMetrics? Metrics { get; set; }

    internal TimeSpan EffectiveRenewalInterval => RenewalInterval ?? FailoverTime / 3 - Epsilon;

    internal TimeSpan EffectiveTakeInterval => TakeInterval ?? (FailoverTime + Epsilon) * 2;

    internal void Validate()
    {
        if (string.IsNullOrWhiteSpace(WorkerId))
        {
            throw new ArgumentException("WorkerId must be a non-empty id unique to this worker.", nameof(WorkerId));
        }

        if (FailoverTime < TimeSpan.FromMilliseconds(150) || FailoverTime == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"FailoverTime must be at least 150 ms and finite; got {FailoverTime}.", nameof(FailoverTime));
        }

        var renewal = EffectiveRenewalInterval;
        if (renewal <= TimeSpan.Zero || renewal * 2 > FailoverTime)
        {
            throw new ArgumentException(
                $"RenewalInterval ({renewal}) must be positive and at most half of FailoverTime ({FailoverTime}), so one failed renewal does not lose the leases.",
                nameof(RenewalInterval));
        }

        var take = EffectiveTakeInterval;
        if (take <= TimeSpan.Zero || take == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"TakeInterval must be a positive, finite time; got {take}.", nameof(TakeInterval));
        }

        if (MaxLeasesForWorker < 1)
        {
            throw new ArgumentException($"MaxLeasesForWorker must be at least 1; got {MaxLeasesForWorker}.", nameof(MaxLeasesForWorker));
        }

        if (MaxLeasesToStealAtOneTime < 1)
        {
            throw new ArgumentException(
                $"MaxLeasesToStealAtOneTime must be at least 1; got {MaxLeasesToStealAtOneTime}.", nameof(MaxLeasesToStealAtOneTime));
        }

        if (MaxConcurrentRenewals < 1)
        {
            throw new ArgumentException(
                $"MaxConcurrentRenewals must be at least 1; got {MaxConcurrentRenewals}.", nameof(MaxConcurrentRenewals));
        }

        if (VeryOldLeaseMultiplier < 0)
        {
            throw new ArgumentException(
                $"VeryOldLeaseMultiplier must be 0 (off) or more; got {VeryOldLeaseMultiplier}.", nameof(VeryOldLeaseMultiplier));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
