using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Worker;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// The lease cleanup decision, row by row: which leases go (and why), and which children may then start, given the
/// lease table, the shards the stream lists and the shards GetShardIterator said do not exist.
/// </summary>
public sealed class LeaseCleanupTests
{
    private const string S0 = "shardId-000000000000";
    private const string S1 = "shardId-000000000001";
    private const string S2 = "shardId-000000000002";
    private const string TrimHorizon = ExtendedSequenceNumber.TrimHorizonValue;
    private const string ShardEnd = ExtendedSequenceNumber.ShardEndValue;

    /// <summary>One row: the table, the listing (<see langword="null"/>: listing failed), the reports, whether finished leases are due.</summary>
    public sealed record Row(
        string Because,
        LeaseRow[] Leases,
        string[]? Listed,
        string[] NotFound,
        bool CheckCompleted,
        string[] Deleted,
        string[] MayStart)
    {
        public override string ToString() => Because;
    }

    public static TheoryData<Row> Rows => new()
    {
        new("an aged-out parent, reported and no longer listed, is deleted as garbage; its child may start",
            [L(S0, "100"), L(S1, TrimHorizon, parents: [S0])], [S1], [S0], false,
            [$"{S0} ShardNotFound"], [S1]),
        new("a reported shard the stream still lists is kept, and its child waits for it",
            [L(S0, "100"), L(S1, TrimHorizon, parents: [S0])], [S0, S1], [S0], true,
            [], []),
        new("an unlisted shard nobody reported is kept, but its child may start: the parent aged out",
            [L(S0, "100"), L(S1, TrimHorizon, parents: [S0])], [S1], [], true,
            [], [S1]),
        new("without a listing nothing is garbage, and the child waits for its unfinished parent",
            [L(S0, "100"), L(S1, TrimHorizon, parents: [S0])], null, [S0], true,
            [], []),
        new("a listing without the child proves nothing about its parent",
            [L(S0, "100"), L(S1, TrimHorizon, parents: [S0])], [S2], [], false,
            [], []),
        new("a garbage lease at SHARD_END is deleted as garbage",
            [L(S0, ShardEnd, children: [S1]), L(S1, TrimHorizon, parents: [S0])], [S1], [S0], true,
            [$"{S0} ShardNotFound"], [S1]),
        new("a finished parent whose children both started is deleted as completed",
            [L(S0, ShardEnd, children: [S1, S2]), L(S1, "200", parents: [S0]), L(S2, "300", parents: [S0])], [S1, S2], [], true,
            [$"{S0} Completed"], [S1, S2]),
        new("a finished parent is kept while finished leases are not due",
            [L(S0, ShardEnd, children: [S1, S2]), L(S1, "200", parents: [S0]), L(S2, "300", parents: [S0])], [S1, S2], [], false,
            [], [S1, S2]),
        new("a finished parent is kept while a child is still at TRIM_HORIZON; both children may run",
            [L(S0, ShardEnd, children: [S1, S2]), L(S1, "200", parents: [S0]), L(S2, TrimHorizon, parents: [S0])], [S1, S2], [], true,
            [], [S1, S2]),
        new("a finished parent is kept while a child is still at AT_TIMESTAMP",
            [L(S0, ShardEnd, children: [S1, S2]), L(S1, "200", parents: [S0]), L(S2, ExtendedSequenceNumber.AtTimestampValue, parents: [S0])], [S1, S2], [], true,
            [], [S1, S2]),
        new("a finished parent is kept while a child has no lease",
            [L(S0, ShardEnd, children: [S1, S2]), L(S1, "200", parents: [S0])], [S1, S2], [], true,
            [], [S1]),
        new("a child at LATEST has started, as the KCL counts it",
            [L(S0, ShardEnd, children: [S1]), L(S1, ExtendedSequenceNumber.LatestValue, parents: [S0])], [S1], [], true,
            [$"{S0} Completed"], [S1]),
        new("a finished lease whose own parent still has a lease waits: leases go oldest first",
            [L(S0, ShardEnd, children: [S1]), L(S1, ShardEnd, parents: [S0], children: [S2]), L(S2, "5", parents: [S1])], [S2], [], true,
            [$"{S0} Completed"], [S2]),
        new("a finished lease without childShardIds finds its children by their parentShardId",
            [L(S0, ShardEnd), L(S1, "200", parents: [S0])], [S1], [], true,
            [$"{S0} Completed"], [S1]),
        new("a finished lease without any known child is kept",
            [L(S0, ShardEnd)], [], [], true,
            [], []),
        new("a live parent the stream lists holds its child back",
            [L(S0, "100"), L(S1, TrimHorizon, parents: [S0])], [S0, S1], [], true,
            [], []),
        new("a parent at SHARD_END lets its child start",
            [L(S0, ShardEnd, children: [S1]), L(S1, TrimHorizon, parents: [S0])], [S0, S1], [], true,
            [], [S1]),
        new("a parent without a lease lets its child start",
            [L(S1, TrimHorizon, parents: [S0])], [S0, S1], [], true,
            [], [S1]),
        new("a merge child waits while one parent is done and the other live",
            [L(S0, ShardEnd, children: [S2]), L(S1, "100", children: []), L(S2, TrimHorizon, parents: [S0, S1])], [S0, S1, S2], [], false,
            [], []),
        new("a merge child may start when one parent is done and the other aged out",
            [L(S0, ShardEnd, children: [S2]), L(S1, "100"), L(S2, TrimHorizon, parents: [S0, S1])], [S0, S2], [], false,
            [], [S2]),
        new("a child at SHARD_END is done, not waiting",
            [L(S1, ShardEnd, parents: [S0]), L(S0, "100")], [S0, S1], [], false,
            [], []),
    };

    [Theory]
    [MemberData(nameof(Rows))]
    public void Decide_follows_the_KCL(Row row)
    {
        var decision = LeaseCleanup.Decide(new LeaseCleanupInput(
            row.Leases.Select(l => l.ToLease()).ToList(),
            row.Listed?.ToHashSet(StringComparer.Ordinal),
            row.NotFound.ToHashSet(StringComparer.Ordinal),
            row.CheckCompleted));

        Assert.Equal(row.Deleted, decision.Deletions.Select(d => $"{d.Lease.LeaseKey} {d.Reason}"));
        Assert.Equal(row.MayStart, decision.ChildrenMayStart.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_deletion_carries_the_lease_as_read_so_the_delete_is_conditional_on_it()
    {
        var observed = L(S0, "100").ToLease() with { LeaseOwner = "java-worker-1", LeaseCounter = 41 };

        var decision = LeaseCleanup.Decide(new LeaseCleanupInput([observed], new HashSet<string>(StringComparer.Ordinal), new HashSet<string>([S0], StringComparer.Ordinal), false));

        Assert.Same(observed, Assert.Single(decision.Deletions).Lease);
    }

    private static LeaseRow L(string key, string checkpoint, string[]? parents = null, string[]? children = null) =>
        new(key, checkpoint, parents ?? [], children ?? []);

    /// <summary>The lineage fields of one lease row.</summary>
    public sealed record LeaseRow(string Key, string Checkpoint, string[] Parents, string[] Children)
    {
        internal Lease ToLease() => new()
        {
            LeaseKey = Key,
            Checkpoint = new ExtendedSequenceNumber(Checkpoint),
            ParentShardIds = Lease.ToSet(Parents),
            ChildShardIds = Lease.ToSet(Children),
        };
    }
}
