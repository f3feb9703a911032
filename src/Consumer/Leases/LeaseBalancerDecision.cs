namespace Kinesis.Clients.Consumer.Leases;

/// <summary>What one worker should do in one take round, with the figures it was decided from.</summary>
/// <param name="ToTake">Leases nobody holds: unowned, expired, or recorded as this worker's but not held by it.</param>
/// <param name="ToSteal">Leases held by a live worker above its share, to take from it for balance.</param>
/// <param name="Leases">Leases being balanced (every lease not yet finished).</param>
/// <param name="Workers">Workers counted: owners of leases that are not expired, plus this one.</param>
/// <param name="Target">This worker's fair share, after the per-worker limit.</param>
/// <param name="Held">Leases this worker holds that are being balanced.</param>
internal sealed record LeaseBalancerDecision(
    IReadOnlyList<Lease> ToTake,
    IReadOnlyList<Lease> ToSteal,
    int Leases,
    int Workers,
    int Target,
    int Held)
{
    public static LeaseBalancerDecision Nothing(int leases, int workers, int target, int held) =>
        new([], [], leases, workers, target, held);

    /// <summary>Leases that were free to take: unowned, expired, or this worker's by the table but not held (the KCL's <c>ExpiredLeases</c>).</summary>
    public int Available { get; init; }

    /// <summary>How far the per-worker limit cut the fair share (the KCL's <c>LeaseSpillover</c>).</summary>
    public int Spillover { get; init; }

    /// <summary>Leases taken above the target for having expired long ago (the KCL's <c>VeryOldLeases</c>).</summary>
    public int VeryOld { get; init; }

    /// <summary>How many more this worker needs to reach its target (the KCL's <c>NeededLeases</c>).</summary>
    public int Needed => Math.Max(0, Target - Held);

    /// <summary>Every lease to take, expired and unowned ones first.</summary>
    public IEnumerable<Lease> All => ToTake.Concat(ToSteal);

    public bool IsEmpty => ToTake.Count == 0 && ToSteal.Count == 0;
}
