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

    /// <summary>Every lease to take, expired and unowned ones first.</summary>
    public IEnumerable<Lease> All => ToTake.Concat(ToSteal);

    public bool IsEmpty => ToTake.Count == 0 && ToSteal.Count == 0;
}
