using System.Globalization;
using CsCheck;
using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>
/// Workers that renew and balance round after round, some deciding from the same listing at the same moment,
/// some joining late and some dying, over a table with conditional takes. Whatever the start, every lease ends up
/// held by a live worker, the counts differ by at most one, and then nothing moves any more.
/// </summary>
public sealed class LeaseBalancerConvergenceTests
{
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(10);

    private sealed record Scenario(
        int Live, int Dead, int Leases, int Finished, int[] InitialOwners, int[] JoinRounds, int DyingWorker, int DeathRound, int MaxSteal, int Seed)
    {
        public override string ToString() =>
            $"live={Live} dead={Dead} leases={Leases} finished={Finished} owners=[{string.Join(",", InitialOwners)}] joins=[{string.Join(",", JoinRounds)}] dying={DyingWorker}@{DeathRound} maxSteal={MaxSteal} seed={Seed}";
    }

    private static readonly Gen<Scenario> Scenarios =
        from live in Gen.Int[1, 7]
        from dead in Gen.Int[0, 2]
        from leases in Gen.Int[0, 40]
        from finished in Gen.Int[0, 4]
        from owners in Gen.Int[-1, live + dead - 1].Array[leases + finished]
        from joins in Gen.Int[0, 3].Array[live]
        from dying in Gen.Int[-1, live - 1]
        from deathRound in Gen.Int[1, 6]
        from maxSteal in Gen.Int[1, 3]
        from seed in Gen.Int
        select new Scenario(live, dead, leases, finished, owners, joins, live > 1 ? dying : -1, deathRound, maxSteal, seed);

    [Fact]
    public void Workers_converge_to_holding_every_lease_within_one_of_each_other_and_then_stop_moving() =>
        SeededCheck.ForAll(Scenarios, Simulate, cases: 300, stream: 7);

    private static void Simulate(Scenario scenario)
    {
        var random = new Random(scenario.Seed);
        var table = new Dictionary<string, Lease>(StringComparer.Ordinal);
        for (var i = 0; i < scenario.InitialOwners.Length; i++)
        {
            var owner = scenario.InitialOwners[i] < 0 ? null : $"w{scenario.InitialOwners[i]}";
            var key = $"shardId-{i.ToString("D12", CultureInfo.InvariantCulture)}";
            table[key] = new Lease
            {
                LeaseKey = key,
                LeaseOwner = owner,
                LeaseCounter = random.Next(0, 5),
                Checkpoint = i >= scenario.Leases ? ExtendedSequenceNumber.ShardEnd : ExtendedSequenceNumber.TrimHorizon,
            };
        }

        // Workers 0..Live-1 run; Live..Live+Dead-1 are dead from the start and only appear as owners.
        var workers = Enumerable.Range(0, scenario.Live).Select(i => new SimWorker($"w{i}")).ToList();
        var ticks = 0L;
        var lastEvent = Math.Max(scenario.JoinRounds.Max(), scenario.DyingWorker >= 0 ? scenario.DeathRound : 0);
        var rounds = lastEvent + scenario.Leases + 12;
        var movesInLastRounds = 0;
        for (var round = 0; round < rounds; round++)
        {
            var running = workers.Where((w, i) => scenario.JoinRounds[i] <= round && !(i == scenario.DyingWorker && round >= scenario.DeathRound)).ToList();

            // Renewals happen many times per take interval; one pass stands for them.
            foreach (var worker in running)
            {
                worker.Renew(table);
            }

            ticks += (Failover * 2).Ticks;

            // Workers whose take rounds line up decide from the same listing; groups follow one another.
            var order = running.OrderBy(_ => random.Next()).ToList();
            var moves = 0;
            while (order.Count > 0)
            {
                var group = order.Take(random.Next(1, order.Count + 1)).ToList();
                order.RemoveRange(0, group.Count);
                var listing = table.Values.ToList();
                var decisions = group.Select(w => (Worker: w, Decision: w.Decide(listing, ticks, scenario.MaxSteal))).ToList();
                var takenThisGroup = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var (worker, lease) in decisions.SelectMany(d => d.Decision.All.Select(l => (d.Worker, l))).OrderBy(_ => random.Next()))
                {
                    if (worker.TryTake(table, lease))
                    {
                        moves++;
                        Assert.True(
                            takenThisGroup.TryAdd(lease.LeaseKey, worker.Id),
                            $"{worker.Id} and {takenThisGroup.GetValueOrDefault(lease.LeaseKey)} both took {lease.LeaseKey} from one listing ({scenario})");
                    }
                }
            }

            AssertAtMostOneHolderCanWrite(table, workers, scenario);
            movesInLastRounds = round >= rounds - 3 ? movesInLastRounds + moves : 0;
        }

        var alive = workers.Where((w, i) => i != scenario.DyingWorker).ToList();
        foreach (var worker in alive)
        {
            worker.Renew(table);
        }

        var open = table.Values.Where(l => !l.IsFinished).ToList();
        Assert.All(open, l => Assert.True(
            alive.Any(w => w.Id == l.LeaseOwner && w.Holds(l)),
            $"{l.LeaseKey} is held by {l.LeaseOwner ?? "nobody"}, not by a live worker ({scenario})"));
        var counts = alive.Select(w => open.Count(l => l.LeaseOwner == w.Id)).ToList();
        Assert.True(counts.Max() - counts.Min() <= 1, $"counts [{string.Join(",", counts)}] differ by more than one ({scenario})");
        Assert.True(movesInLastRounds == 0, $"{movesInLastRounds} leases still moved in the last three rounds: churn ({scenario})");
    }

    private static void AssertAtMostOneHolderCanWrite(Dictionary<string, Lease> table, List<SimWorker> workers, Scenario scenario)
    {
        foreach (var lease in table.Values)
        {
            var writers = workers.Count(w => w.CanWrite(lease));
            Assert.True(writers <= 1, $"{writers} workers could write to {lease.LeaseKey} ({scenario})");
        }
    }

    /// <summary>A worker's lease state: what it holds (with the counter it would write against) and what it has watched.</summary>
    private sealed class SimWorker(string id)
    {
        private readonly Dictionary<string, long> _held = new(StringComparer.Ordinal);
        private readonly Dictionary<string, (long Counter, long Since)> _watched = new(StringComparer.Ordinal);

        public string Id { get; } = id;

        public bool Holds(Lease lease) => _held.TryGetValue(lease.LeaseKey, out var counter) && counter == lease.LeaseCounter;

        public bool CanWrite(Lease lease) => Holds(lease) && lease.LeaseOwner == Id;

        public void Renew(Dictionary<string, Lease> table)
        {
            foreach (var key in _held.Keys.ToList())
            {
                if (table.TryGetValue(key, out var row) && row.LeaseOwner == Id && row.LeaseCounter == _held[key])
                {
                    table[key] = LeaseWrites.Renewed(row);
                    _held[key] = row.LeaseCounter + 1;
                }
                else
                {
                    _held.Remove(key);
                }
            }
        }

        public LeaseBalancerDecision Decide(List<Lease> listing, long now, int maxSteal)
        {
            foreach (var lease in listing)
            {
                if (!_watched.TryGetValue(lease.LeaseKey, out var seen) || seen.Counter != lease.LeaseCounter)
                {
                    _watched[lease.LeaseKey] = (lease.LeaseCounter, now);
                }
            }

            return LeaseBalancer.Decide(new LeaseBalancerInput
            {
                Leases = listing,
                WorkerId = Id,
                HeldLeaseKeys = _held.Keys.ToHashSet(StringComparer.Ordinal),
                UnchangedFor = _watched.ToDictionary(p => p.Key, p => TimeSpan.FromTicks(now - p.Value.Since), StringComparer.Ordinal),
                FailoverTime = Failover,
                MaxLeasesToStealAtOneTime = maxSteal,
            });
        }

        /// <summary>The conditional take: only against the counter the worker listed.</summary>
        public bool TryTake(Dictionary<string, Lease> table, Lease observed)
        {
            var row = table[observed.LeaseKey];
            if (row.LeaseCounter != observed.LeaseCounter)
            {
                return false;
            }

            var taken = LeaseWrites.Taken(row, Id);
            table[observed.LeaseKey] = taken;
            _held[observed.LeaseKey] = taken.LeaseCounter;
            return true;
        }
    }
}
