using System.Collections.Frozen;

namespace Kinesis.Clients.Consumer.Leases;

/// <summary>What <see cref="LeaseBalancer"/> decides from: one worker's view of the lease table at one moment.</summary>
internal sealed record LeaseBalancerInput
{
    /// <summary>Every lease in the table, as just listed.</summary>
    public required IReadOnlyList<Lease> Leases { get; init; }

    /// <summary>The deciding worker.</summary>
    public required string WorkerId { get; init; }

    /// <summary>The keys of the leases this worker holds and renews.</summary>
    public IReadOnlySet<string> HeldLeaseKeys { get; init; } = FrozenSet<string>.Empty;

    /// <summary>
    /// How long this worker has watched each lease's counter stand still (its own monotonic clock); a lease
    /// missing here counts as just changed.
    /// </summary>
    public IReadOnlyDictionary<string, TimeSpan> UnchangedFor { get; init; } = FrozenDictionary<string, TimeSpan>.Empty;

    /// <summary>How long a counter must stand still before the lease counts as expired.</summary>
    public required TimeSpan FailoverTime { get; init; }

    /// <summary>Most leases this worker may hold.</summary>
    public int MaxLeasesForWorker { get; init; } = int.MaxValue;

    /// <summary>Most leases to steal in one decision.</summary>
    public int MaxLeasesToStealAtOneTime { get; init; } = 1;

    /// <summary>
    /// Expired leases whose counters have stood still this many failover times are taken even above the fair
    /// share (up to <see cref="MaxLeasesForWorker"/>), as the KCL does. 0 turns this off.
    /// </summary>
    public int VeryOldLeaseMultiplier { get; init; } = 3;
}
