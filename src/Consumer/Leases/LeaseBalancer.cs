namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// Decides which leases one worker should take in one round, from a snapshot of the table: the Java KCL 2.x
/// lease taker's rules without its I/O. Pure and deterministic.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Finished leases (checkpoint <c>SHARD_END</c>) are not balanced: nobody needs to process them. Their
/// children are ordinary leases.</item>
/// <item>Available: unowned leases, leases whose counter has stood still for the failover time, and leases the
/// table gives to this worker that it does not hold (a restart under the same worker id).</item>
/// <item>Fair share ("target"): ceil(leases / workers), where workers are the owners of leases that are not
/// expired plus this worker; 1 when there are at least as many workers as leases; capped by the per-worker
/// limit.</item>
/// <item>Below target, take available leases (the longest expired first) up to the target. Only when none are
/// available, steal from the most loaded worker: up to min(needed, its excess over target) when it is above
/// target, or one when it is exactly at target and this worker needs more than one (without that, a third
/// worker joining two that share four leases would never get one); never more than the steal limit.</item>
/// <item>A lease in a KCL 3.x graceful handoff (<c>checkpointOwner</c> set) counts for its next owner and is
/// never taken or stolen while its checkpoint owner renews it; the take that follows its expiry ends the handoff.</item>
/// <item>Leases whose owner has not renewed them for the very-old multiple of the failover time are taken even
/// above the target, as the KCL does. Unlike the KCL, a lease never seen owned does not count as very old: the KCL treats
/// every new unowned lease so, which makes the first worker up grab them all and the others steal them back
/// one by one.</item>
/// </list>
/// Workers deciding at once choose in different orders (ties are broken by a hash of worker id and lease key),
/// so they mostly try different leases; the conditional take settles any clash.
/// </remarks>
internal static class LeaseBalancer
{
    public static LeaseBalancerDecision Decide(LeaseBalancerInput input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var me = input.WorkerId;
        var held = 0;
        var total = 0;
        var available = new List<Candidate>();
        var liveByOwner = new Dictionary<string, List<Lease>>(StringComparer.Ordinal);
        foreach (var lease in input.Leases)
        {
            if (lease.IsFinished)
            {
                continue;
            }

            total++;
            if (input.HeldLeaseKeys.Contains(lease.LeaseKey))
            {
                held++;
                continue;
            }

            var unchanged = input.UnchangedFor.GetValueOrDefault(lease.LeaseKey);
            if (lease.CheckpointOwner is not null && unchanged < input.FailoverTime)
            {
                // A KCL 3.x graceful handoff in progress: the checkpoint owner is finishing, the lease owner is next.
                // It counts for the next owner and is neither taken nor stolen until the checkpoint owner transfers
                // it or stops renewing it.
                if (lease.LeaseOwner == me)
                {
                    held++;
                }
                else if (lease.LeaseOwner is not null)
                {
                    AddLive(liveByOwner, lease.LeaseOwner, lease);
                }

                continue;
            }

            if (lease.LeaseOwner is null)
            {
                available.Add(new Candidate(lease, unchanged, Kind.Unowned));
            }
            else if (lease.LeaseOwner == me)
            {
                available.Add(new Candidate(lease, unchanged, Kind.Orphaned));
            }
            else if (unchanged >= input.FailoverTime)
            {
                available.Add(new Candidate(lease, unchanged, Kind.Expired));
            }
            else
            {
                AddLive(liveByOwner, lease.LeaseOwner, lease);
            }
        }

        var workers = liveByOwner.Count + 1;
        if (total == 0)
        {
            return LeaseBalancerDecision.Nothing(0, workers, 0, held);
        }

        var target = workers >= total ? 1 : (total + workers - 1) / workers;
        // The KCL's LeaseSpillover: leases of the fair share the per-worker limit keeps this worker from.
        var spillover = Math.Max(0, target - input.MaxLeasesForWorker);
        target = Math.Min(target, input.MaxLeasesForWorker);
        var room = Math.Max(0, input.MaxLeasesForWorker - held);

        if (input.VeryOldLeaseMultiplier > 0)
        {
            var veryOldAge = input.FailoverTime * input.VeryOldLeaseMultiplier;
            var veryOld = available.Where(c => c.Kind == Kind.Expired && c.UnchangedFor >= veryOldAge).ToList();
            if (veryOld.Count > 0)
            {
                var picked = Pick(veryOld, me, room);
                return new LeaseBalancerDecision(picked, [], total, workers, target, held)
                {
                    Available = available.Count,
                    Spillover = spillover,
                    VeryOld = picked.Count,
                };
            }
        }

        var needed = Math.Min(target - held, room);
        if (needed <= 0)
        {
            return LeaseBalancerDecision.Nothing(total, workers, target, held) with { Available = available.Count, Spillover = spillover };
        }

        var decision = available.Count > 0
            ? new LeaseBalancerDecision(Pick(available, me, needed), [], total, workers, target, held)
            : new LeaseBalancerDecision([], ChooseToSteal(liveByOwner, me, needed, target, input.MaxLeasesToStealAtOneTime), total, workers, target, held);
        return decision with { Available = available.Count, Spillover = spillover };
    }

    private static void AddLive(Dictionary<string, List<Lease>> liveByOwner, string owner, Lease lease)
    {
        if (!liveByOwner.TryGetValue(owner, out var owned))
        {
            liveByOwner[owner] = owned = [];
        }

        owned.Add(lease);
    }

    private static List<Lease> Pick(List<Candidate> candidates, string me, int count) =>
        candidates
            .OrderBy(c => c.Kind == Kind.Orphaned ? 0 : 1)
            .ThenByDescending(c => c.UnchangedFor)
            .ThenBy(c => Spread(me, c.Lease.LeaseKey))
            .ThenBy(c => c.Lease.LeaseKey, StringComparer.Ordinal)
            .Take(count)
            .Select(c => c.Lease)
            .ToList();

    private static List<Lease> ChooseToSteal(
        Dictionary<string, List<Lease>> liveByOwner, string me, int needed, int target, int maxToSteal)
    {
        if (liveByOwner.Count == 0)
        {
            return [];
        }

        var leases = liveByOwner
            .OrderByDescending(p => p.Value.Count)
            .ThenBy(p => Spread(me, p.Key))
            .ThenBy(p => p.Key, StringComparer.Ordinal)
            .First().Value;
        var count = 0;
        if (leases.Count >= target)
        {
            count = Math.Min(needed, leases.Count - target);
            if (count == 0 && needed > 1)
            {
                count = 1;
            }

            count = Math.Min(count, maxToSteal);
        }

        return leases
            .Where(l => l.CheckpointOwner is null)
            .OrderBy(l => Spread(me, l.LeaseKey))
            .ThenBy(l => l.LeaseKey, StringComparer.Ordinal)
            .Take(count)
            .ToList();
    }

    // FNV-1a over "worker\0key": stable across processes (string.GetHashCode is not), so a worker's preferences
    // are the same every round and differ from other workers'.
    private static ulong Spread(string worker, string key)
    {
        var hash = 14695981039346656037UL;
        foreach (var c in worker)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        hash *= 1099511628211UL;
        foreach (var c in key)
        {
            hash = (hash ^ c) * 1099511628211UL;
        }

        return hash;
    }

    private enum Kind
    {
        Orphaned,
        Expired,
        Unowned,
    }

    private readonly record struct Candidate(Lease Lease, TimeSpan UnchangedFor, Kind Kind);
}
