using Kinesis.Clients.Consumer.Worker;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// Which leases the shard sync creates, and where each starts, per initial position, on plain and resharded streams
/// (the KCL's HierarchicalShardSyncer: a child of a parent that has a lease starts at TRIM_HORIZON, as the KCL's child
/// lease made at the parent's SHARD_END does; lineages new to the table start at the initial position).
/// </summary>
public sealed class ShardPlanTests
{
    private static readonly HashKeyRange Lower = new(HashKey.MinValue, HashKey.Parse("170141183460469231731687303715884105727"));
    private static readonly HashKeyRange Upper = new(HashKey.Parse("170141183460469231731687303715884105728"), HashKey.MaxValue);
    private static readonly InitialPosition Timestamp = InitialPosition.AtTimestamp(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    /// <summary>0 closed, split into 1 and 2 (open).</summary>
    private static readonly Shard[] Split =
    [
        Closed(0, HashKeyRange.Full), Open(1, Lower, parent: 0), Open(2, Upper, parent: 0),
    ];

    /// <summary>0 and 1 closed, merged into 2 (open).</summary>
    private static readonly Shard[] Merged =
    [
        Closed(0, Lower), Closed(1, Upper), Open(2, HashKeyRange.Full, parent: 0, adjacent: 1),
    ];

    /// <summary>0 closed, split into 1 (closed) and 2; 1 split into 3 and 4.</summary>
    private static readonly Shard[] TwoLevels =
    [
        Closed(0, HashKeyRange.Full), Closed(1, Lower, parent: 0), Open(2, Upper, parent: 0),
        Open(3, new HashKeyRange(HashKey.MinValue, HashKey.Parse("85070591730234615865843651857942052863")), parent: 1),
        Open(4, new HashKeyRange(HashKey.Parse("85070591730234615865843651857942052864"), HashKey.Parse("170141183460469231731687303715884105727")), parent: 1),
    ];

    /// <summary>0 aged out of retention (no longer listed); its children 1 and 2 still name it.</summary>
    private static readonly Shard[] ParentAgedOut = [Open(1, Lower, parent: 0), Open(2, Upper, parent: 0)];

    public static TheoryData<string, InitialPosition, Shard[], int[], string[]> Plans => new()
    {
        // LATEST
        { "LATEST, new table, split stream: the open children at LATEST", InitialPosition.Latest, Split, [], ["1@LATEST", "2@LATEST"] },
        { "LATEST, parent already leased: children at TRIM_HORIZON behind it", InitialPosition.Latest, Split, [0], ["1@TRIM_HORIZON<0", "2@TRIM_HORIZON<0"] },
        { "LATEST, every shard leased: nothing", InitialPosition.Latest, Split, [0, 1, 2], [] },
        { "LATEST, new table, merged stream: the open child at LATEST", InitialPosition.Latest, Merged, [], ["2@LATEST"] },
        { "LATEST, both merge parents leased: child at TRIM_HORIZON behind both", InitialPosition.Latest, Merged, [0, 1], ["2@TRIM_HORIZON<0,1"] },
        { "LATEST, one merge parent leased: child at TRIM_HORIZON behind that one", InitialPosition.Latest, Merged, [0], ["2@TRIM_HORIZON<0"] },
        { "LATEST, grandparent leased: every descendant at TRIM_HORIZON, each behind its parent", InitialPosition.Latest, TwoLevels, [0], ["1@TRIM_HORIZON<0", "2@TRIM_HORIZON<0", "3@TRIM_HORIZON<1", "4@TRIM_HORIZON<1"] },
        { "LATEST, new table, parent aged out: children at LATEST", InitialPosition.Latest, ParentAgedOut, [], ["1@LATEST", "2@LATEST"] },
        { "LATEST, aged-out parent still leased: children at TRIM_HORIZON behind its lease", InitialPosition.Latest, ParentAgedOut, [0], ["1@TRIM_HORIZON<0", "2@TRIM_HORIZON<0"] },

        // AT_TIMESTAMP
        { "AT_TIMESTAMP, new table, split stream: the whole lineage at AT_TIMESTAMP", Timestamp, Split, [], ["0@AT_TIMESTAMP", "1@AT_TIMESTAMP<0", "2@AT_TIMESTAMP<0"] },
        { "AT_TIMESTAMP, parent already leased: children at TRIM_HORIZON behind it", Timestamp, Split, [0], ["1@TRIM_HORIZON<0", "2@TRIM_HORIZON<0"] },
        { "AT_TIMESTAMP, new table, merged stream: both parents and the child at AT_TIMESTAMP", Timestamp, Merged, [], ["0@AT_TIMESTAMP", "1@AT_TIMESTAMP", "2@AT_TIMESTAMP<0,1"] },
        { "AT_TIMESTAMP, new table, two levels: every shard at AT_TIMESTAMP", Timestamp, TwoLevels, [], ["0@AT_TIMESTAMP", "1@AT_TIMESTAMP<0", "2@AT_TIMESTAMP<0", "3@AT_TIMESTAMP<1", "4@AT_TIMESTAMP<1"] },
        { "AT_TIMESTAMP, grandparent leased: descendants at TRIM_HORIZON", Timestamp, TwoLevels, [0], ["1@TRIM_HORIZON<0", "2@TRIM_HORIZON<0", "3@TRIM_HORIZON<1", "4@TRIM_HORIZON<1"] },
        { "AT_TIMESTAMP, new table, parent aged out: children at AT_TIMESTAMP", Timestamp, ParentAgedOut, [], ["1@AT_TIMESTAMP", "2@AT_TIMESTAMP"] },
        { "AT_TIMESTAMP, aged-out parent still leased: children at TRIM_HORIZON behind its lease", Timestamp, ParentAgedOut, [0], ["1@TRIM_HORIZON<0", "2@TRIM_HORIZON<0"] },

        // TRIM_HORIZON
        { "TRIM_HORIZON, new table, split stream: the whole lineage at TRIM_HORIZON", InitialPosition.TrimHorizon, Split, [], ["0@TRIM_HORIZON", "1@TRIM_HORIZON<0", "2@TRIM_HORIZON<0"] },
        { "TRIM_HORIZON, new table, parent aged out: children at TRIM_HORIZON", InitialPosition.TrimHorizon, ParentAgedOut, [], ["1@TRIM_HORIZON", "2@TRIM_HORIZON"] },

        // A finished parent whose lease the cleanup deleted after its children started: never leased again.
        { "TRIM_HORIZON, children leased, parent's lease deleted: nothing", InitialPosition.TrimHorizon, Split, [1, 2], [] },
        { "TRIM_HORIZON, one child leased, parent's lease deleted: the other child at TRIM_HORIZON only", InitialPosition.TrimHorizon, Split, [1], ["2@TRIM_HORIZON"] },
        { "AT_TIMESTAMP, merge child leased, both parents' leases deleted: nothing", Timestamp, Merged, [2], [] },
        { "TRIM_HORIZON, grandchildren leased, grandparent and parent deleted: only the open uncle", InitialPosition.TrimHorizon, TwoLevels, [3, 4], ["2@TRIM_HORIZON"] },
    };

    [Theory]
    [MemberData(nameof(Plans))]
    public void New_leases_start_where_the_KCL_starts_them(string because, InitialPosition initial, Shard[] shards, int[] leased, string[] expected)
    {
        var existing = leased.Select(Id).ToHashSet(StringComparer.Ordinal);

        var plan = ShardSyncer.Plan(shards, existing, initial);

        var described = plan.Select(l =>
            $"{Number(l.LeaseKey)}@{l.Checkpoint.SequenceNumber}" +
            (l.ParentShardIds.Count > 0 ? "<" + string.Join(",", l.ParentShardIds.Order(StringComparer.Ordinal).Select(Number)) : ""));
        Assert.True(expected.SequenceEqual(described), $"{because}: got [{string.Join(", ", described)}]");
    }

    [Fact]
    public void Every_planned_lease_carries_its_shards_hash_key_range()
    {
        var plan = ShardSyncer.Plan(Split, new HashSet<string>(StringComparer.Ordinal), InitialPosition.TrimHorizon);

        Assert.Equal([HashKeyRange.Full, Lower, Upper], plan.Select(l => l.HashKeyRange));
    }

    private static string Id(int n) => $"shardId-{n:D12}";

    private static string Number(string shardId) => int.Parse(shardId["shardId-".Length..], System.Globalization.CultureInfo.InvariantCulture).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static Shard Open(int n, HashKeyRange range, int? parent = null, int? adjacent = null) =>
        new(Id(n), parent is { } p ? Id(p) : null, adjacent is { } a ? Id(a) : null, range, "1", null);

    private static Shard Closed(int n, HashKeyRange range, int? parent = null) =>
        new(Id(n), parent is { } p ? Id(p) : null, null, range, "1", "9");
}
