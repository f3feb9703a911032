using System.Globalization;
using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

public sealed class LeaseBalancerTests
{
    private const string Me = "me";
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(10);

    /// <summary>One row of a scenario: who owns the lease, how long its counter has stood still, whether it is finished.</summary>
    public sealed record Row(string Key, string? Owner, double StillSeconds = 0, bool Finished = false, bool Held = false, string? CheckpointOwner = null);

    private static Row[] Owned(string owner, int count, string prefix, double stillSeconds = 0) =>
        Enumerable.Range(0, count).Select(i => new Row($"{prefix}{i}", owner, stillSeconds, Held: owner == Me)).ToArray();

    private static LeaseBalancerDecision Decide(IEnumerable<Row> rows, int maxSteal = 1, int maxLeases = int.MaxValue, int veryOld = 3)
    {
        var list = rows.ToList();
        return LeaseBalancer.Decide(new LeaseBalancerInput
        {
            Leases = list.Select(r => new Lease
            {
                LeaseKey = r.Key,
                LeaseOwner = r.Owner,
                CheckpointOwner = r.CheckpointOwner,
                LeaseCounter = 1,
                Checkpoint = r.Finished ? ExtendedSequenceNumber.ShardEnd : ExtendedSequenceNumber.TrimHorizon,
            }).ToList(),
            WorkerId = Me,
            HeldLeaseKeys = list.Where(r => r.Held).Select(r => r.Key).ToHashSet(),
            UnchangedFor = list.ToDictionary(r => r.Key, r => TimeSpan.FromSeconds(r.StillSeconds)),
            FailoverTime = Failover,
            MaxLeasesForWorker = maxLeases,
            MaxLeasesToStealAtOneTime = maxSteal,
            VeryOldLeaseMultiplier = veryOld,
        });
    }

    private static string[] Keys(IEnumerable<Lease> leases) => leases.Select(l => l.LeaseKey).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void With_no_leases_there_is_nothing_to_do()
    {
        var decision = Decide([]);

        Assert.True(decision.IsEmpty);
        Assert.Equal((0, 1), (decision.Leases, decision.Workers));
    }

    [Fact]
    public void A_lone_worker_takes_every_unowned_lease()
    {
        var decision = Decide(Enumerable.Range(0, 5).Select(i => new Row($"s{i}", null)));

        Assert.Equal(["s0", "s1", "s2", "s3", "s4"], Keys(decision.ToTake));
        Assert.Empty(decision.ToSteal);
        Assert.Equal((5, 1, 5), (decision.Leases, decision.Workers, decision.Target));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(5, 2)]
    public void A_new_worker_steals_from_a_loaded_one_at_most_the_steal_limit(int maxSteal, int expected)
    {
        // a holds 4 live leases; fair share of 2 workers is 2, so a has 2 over.
        var decision = Decide(Owned("a", 4, "s"), maxSteal);

        Assert.Empty(decision.ToTake);
        Assert.Equal(expected, decision.ToSteal.Count);
        Assert.All(decision.ToSteal, l => Assert.Equal("a", l.LeaseOwner));
        Assert.Equal((2, 2), (decision.Workers, decision.Target));
    }

    [Fact]
    public void Stealing_is_bounded_by_the_victims_excess_even_with_a_large_limit()
    {
        // 6 leases, 3 workers: target 2; a has 3 (1 over), b has 3 (1 over), me none.
        var decision = Decide([.. Owned("a", 3, "a"), .. Owned("b", 3, "b")], maxSteal: 10);

        var stolen = Assert.Single(decision.ToSteal);
        Assert.Contains(stolen.LeaseOwner, new[] { "a", "b" });
    }

    [Fact]
    public void A_dead_workers_leases_are_taken_once_expired_oldest_first()
    {
        Row[] rows =
        [
            .. Owned(Me, 2, "mine"),
            new("dead0", "dead", 12),
            new("dead1", "dead", 25),
            new("dead2", "dead", 20),
            .. Owned("b", 2, "b", 1),
        ];

        // 7 leases over me and b (the dead one no longer counts): target 4, I hold 2.
        var decision = Decide(rows);

        Assert.Equal(["dead1", "dead2"], decision.ToTake.Select(l => l.LeaseKey));
        Assert.Equal((7, 2, 4), (decision.Leases, decision.Workers, decision.Target));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(9.999, false)]
    [InlineData(10, true)]
    [InlineData(11, true)]
    public void A_lease_expires_when_its_counter_stood_still_for_the_failover_time(double stillSeconds, bool taken)
    {
        var decision = Decide([new("s0", "a", stillSeconds), new("s1", "a", 0)]);

        Assert.Equal(taken, decision.ToTake.Any(l => l.LeaseKey == "s0"));
        if (!taken)
        {
            // The owner is alive; 2 leases and 2 workers is 1 each, and a has only 1 over target: stolen instead.
            Assert.Single(decision.ToSteal);
        }
    }

    [Fact]
    public void A_worker_at_its_fair_share_takes_nothing_even_expired_leases()
    {
        Row[] rows = [.. Owned(Me, 2, "m"), .. Owned("a", 1, "a"), new("x", "dead", 15)];

        var decision = Decide(rows);

        // 4 leases, 2 live workers: target 2, and I hold 2.
        Assert.True(decision.IsEmpty);
        Assert.Equal((4, 2, 2, 2), (decision.Leases, decision.Workers, decision.Target, decision.Held));
    }

    [Fact]
    public void A_worker_one_below_target_does_not_steal_from_one_at_target()
    {
        // 5 leases, 2 workers: target 3; a holds 3, I hold 2. Stealing would only move the imbalance around.
        var decision = Decide([.. Owned(Me, 2, "m"), .. Owned("a", 3, "a")]);

        Assert.True(decision.IsEmpty);
    }

    [Fact]
    public void A_worker_two_below_target_steals_one_from_a_worker_at_target()
    {
        // Two workers share 4 leases, a third joins: target 2 each; without this, it would never get a lease.
        var decision = Decide([.. Owned("a", 2, "a"), .. Owned("b", 2, "b")], maxSteal: 5);

        Assert.Single(decision.ToSteal);
        Assert.Equal((3, 2), (decision.Workers, decision.Target));
    }

    [Fact]
    public void With_more_workers_than_leases_each_keeps_at_most_one()
    {
        var full = Decide([.. Owned("a", 1, "a"), .. Owned("b", 1, "b")]);
        Assert.True(full.IsEmpty);
        Assert.Equal((3, 1), (full.Workers, full.Target));

        var doubled = Decide([.. Owned("a", 2, "a")]);
        Assert.Single(doubled.ToSteal);
        Assert.Equal(1, doubled.Target);
    }

    [Theory]
    [InlineData(1, 1, 1)]
    [InlineData(7, 1, 7)]
    [InlineData(7, 2, 4)]
    [InlineData(7, 3, 3)]
    [InlineData(8, 4, 2)]
    [InlineData(9, 4, 3)]
    [InlineData(4, 5, 1)]
    public void The_target_is_the_ceiling_of_leases_over_workers(int leases, int workers, int target)
    {
        // Each other worker holds one live lease; the rest are unowned.
        var rows = Enumerable.Range(1, workers - 1).Select(w => new Row($"w{w}", $"worker{w}"))
            .Concat(Enumerable.Range(0, Math.Max(0, leases - (workers - 1))).Select(i => new Row($"u{i}", null)));

        var decision = Decide(rows);

        Assert.Equal(target, decision.Target);
        Assert.Equal(Math.Min(target, Math.Max(0, leases - (workers - 1))), decision.ToTake.Count);
    }

    [Fact]
    public void Finished_leases_are_neither_taken_nor_counted_but_their_children_are()
    {
        Row[] rows =
        [
            new("parent0", null, 100, Finished: true),
            new("parent1", "a", 100, Finished: true),
            new("parent2", "a", 0, Finished: true),
            new("child0", null),
            new("child1", null),
        ];

        var decision = Decide(rows);

        Assert.Equal(["child0", "child1"], Keys(decision.ToTake));
        // a holds only finished leases, so it is not counted as a worker at all.
        Assert.Equal((2, 1, 2), (decision.Leases, decision.Workers, decision.Target));
    }

    [Fact]
    public void Leases_the_table_gives_this_worker_but_it_does_not_hold_are_taken_back_first()
    {
        Row[] rows = [new("u0", null, 50), new("orphan", Me, 0), new("u1", null, 50)];

        var decision = Decide(rows, maxLeases: 1);

        Assert.Equal(["orphan"], Keys(decision.ToTake));
    }

    [Fact]
    public void The_per_worker_limit_caps_the_target()
    {
        var decision = Decide(Enumerable.Range(0, 10).Select(i => new Row($"s{i}", null)), maxLeases: 3);

        Assert.Equal(3, decision.Target);
        Assert.Equal(3, decision.ToTake.Count);
    }

    [Fact]
    public void Very_old_expired_leases_are_taken_above_target_but_within_the_limit()
    {
        // I hold 3 of 6 with b live holding 2: target 3, so nothing by fair share; a's lease went unrenewed for
        // 3 failover times.
        Row[] rows = [.. Owned(Me, 3, "m"), .. Owned("b", 2, "b"), new("old", "a", 30)];

        Assert.Equal(["old"], Keys(Decide(rows).ToTake));
        Assert.True(Decide(rows, maxLeases: 3).IsEmpty);
        Assert.True(Decide(rows, veryOld: 0).IsEmpty);
        Assert.True(Decide(rows.Select(r => r.Key == "old" ? r with { StillSeconds = 29 } : r)).IsEmpty);
    }

    [Fact]
    public void Unowned_leases_never_count_as_very_old()
    {
        // The KCL treats new unowned leases as very old, so the first worker up takes every one of them.
        Row[] rows = [.. Owned("b", 1, "b"), .. Enumerable.Range(0, 5).Select(i => new Row($"u{i}", null, 1_000))];

        var decision = Decide(rows);

        Assert.Equal(3, decision.Target);
        Assert.Equal(3, decision.ToTake.Count);
    }

    [Fact]
    public void Available_leases_are_preferred_to_stealing()
    {
        Row[] rows = [.. Owned("a", 5, "a"), new("u", null)];

        var decision = Decide(rows, maxSteal: 5);

        Assert.Equal(["u"], Keys(decision.ToTake));
        Assert.Empty(decision.ToSteal);
    }

    [Fact]
    public void Decisions_are_deterministic_and_differ_between_workers()
    {
        var rows = Enumerable.Range(0, 40).Select(i => new Row($"shardId-{i.ToString("D12", CultureInfo.InvariantCulture)}", null)).ToList();
        LeaseBalancerDecision For(string worker) => LeaseBalancer.Decide(new LeaseBalancerInput
        {
            Leases = rows.Select(r => new Lease { LeaseKey = r.Key }).ToList(),
            WorkerId = worker,
            FailoverTime = Failover,
            MaxLeasesForWorker = 5,
        });

        Assert.Equal(For("w1").ToTake.Select(l => l.LeaseKey), For("w1").ToTake.Select(l => l.LeaseKey));
        Assert.NotEqual(For("w1").ToTake.Select(l => l.LeaseKey), For("w2").ToTake.Select(l => l.LeaseKey));
    }

    // A KCL 3.x graceful handoff: the checkpoint owner is still finishing the shard, the lease owner comes next.
    public static TheoryData<string, Row[], string[], string[], int, int> Handoffs => new()
    {
        {
            "a lease being handed to me is neither taken early nor topped up beyond my share",
            [new Row("h", Me, 2, CheckpointOwner: "old"), new Row("s1", null), new Row("s2", "other")],
            ["s1"], [], 1, 2
        },
        {
            "a lease being handed between others is never stolen, though its owner is above target",
            [new Row("o0", "other"), new Row("h", "other", 2, CheckpointOwner: "old")],
            [], ["o0"], 0, 2
        },
        {
            "a lease whose checkpoint owner stopped renewing during the handoff is taken",
            [new Row("h", "next", 11, CheckpointOwner: "old"), new Row("s1", "other")],
            ["h"], [], 0, 2
        },
        {
            "a lease in handoff counts one worker, its next owner",
            [new Row("h", "next", 1, CheckpointOwner: "old"), new Row("s1", null)],
            ["s1"], [], 0, 2
        },
    };

    [Theory]
    [MemberData(nameof(Handoffs))]
    public void Leases_in_a_KCL_3_handoff_are_honoured(string because, Row[] rows, string[] take, string[] steal, int held, int workers)
    {
        var decision = Decide(rows);

        Assert.True(Keys(decision.ToTake).SequenceEqual(take), $"{because}: took [{string.Join(",", Keys(decision.ToTake))}]");
        Assert.True(Keys(decision.ToSteal).SequenceEqual(steal), $"{because}: stole [{string.Join(",", Keys(decision.ToSteal))}]");
        Assert.Equal((held, workers), (decision.Held, decision.Workers));
    }
}
