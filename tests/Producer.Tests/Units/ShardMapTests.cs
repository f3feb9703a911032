using CsCheck;
using Kinesis.Clients.Producer.Pipeline;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class ShardMapTests
{
    // The ranges CreateStream gives a stream of four shards: the key space split evenly.
    private static readonly string[][] Uniform4 =
    [
        ["shardId-000000000000", "0", "85070591730234615865843651857942052863"],
        ["shardId-000000000001", "85070591730234615865843651857942052864", "170141183460469231731687303715884105727"],
        ["shardId-000000000002", "170141183460469231731687303715884105728", "255211775190703847597530955573826158591"],
        ["shardId-000000000003", "255211775190703847597530955573826158592", "340282366920938463463374607431768211455"],
    ];

    private static Shard Open(string id, HashKeyRange range) => new(id, null, null, range, "0", null);

    private static Shard Open(string id, UInt128 start, UInt128 end) => Open(id, new HashKeyRange(new HashKey(start), new HashKey(end)));

    private static Shard Closed(string id, UInt128 start, UInt128 end) =>
        new(id, null, null, new HashKeyRange(new HashKey(start), new HashKey(end)), "0", "100");

    private static ShardMap UniformMap() => new(Uniform4.Select(s => Open(s[0], HashKeyRange.Parse(s[1], s[2]))));

    [Fact]
    public void A_single_shard_over_the_whole_key_space_owns_every_key()
    {
        var map = new ShardMap([Open("only", HashKeyRange.Full)]);

        Assert.Equal("only", map.Route(HashKey.MinValue));
        Assert.Equal("only", map.Route(HashKey.MaxValue));
        Assert.Equal("only", map.Route(HashKey.FromPartitionKey("pk1")));
        Assert.Equal(["only"], map.OpenShardIds);
    }

    [Theory]
    [InlineData("0", "shardId-000000000000")]
    [InlineData("1", "shardId-000000000000")]
    [InlineData("85070591730234615865843651857942052863", "shardId-000000000000")]
    [InlineData("85070591730234615865843651857942052864", "shardId-000000000001")]
    [InlineData("170141183460469231731687303715884105727", "shardId-000000000001")]
    [InlineData("170141183460469231731687303715884105728", "shardId-000000000002")]
    [InlineData("255211775190703847597530955573826158591", "shardId-000000000002")]
    [InlineData("255211775190703847597530955573826158592", "shardId-000000000003")]
    [InlineData("340282366920938463463374607431768211454", "shardId-000000000003")]
    [InlineData("340282366920938463463374607431768211455", "shardId-000000000003")]
    public void Four_uniform_shards_own_their_keys_up_to_and_including_each_boundary(string hashKey, string shardId)
    {
        Assert.Equal(shardId, UniformMap().Route(HashKey.Parse(hashKey)));
    }

    [Fact]
    public void Keys_at_the_ends_of_the_space_go_to_the_first_and_last_shards()
    {
        var map = UniformMap();

        Assert.Equal("shardId-000000000000", map.Route(HashKey.MinValue));
        Assert.Equal("shardId-000000000003", map.Route(HashKey.MaxValue));
    }

    [Fact]
    public void The_order_shards_are_listed_in_does_not_matter()
    {
        var shuffled = new ShardMap(Uniform4.Reverse().Select(s => Open(s[0], HashKeyRange.Parse(s[1], s[2]))));
        var sorted = UniformMap();

        foreach (var s in Uniform4)
        {
            foreach (var key in new[] { HashKey.Parse(s[1]), HashKey.Parse(s[2]) })
            {
                Assert.Equal(sorted.Route(key), shuffled.Route(key));
            }
        }

        Assert.Equal(Uniform4.Select(s => s[0]), shuffled.OpenShardIds);
    }

    [Fact]
    public void Partition_keys_go_to_the_shard_whose_range_holds_their_hash()
    {
        var map = UniformMap();
        var ranges = Uniform4.ToDictionary(s => s[0], s => HashKeyRange.Parse(s[1], s[2]));

        for (var i = 0; i < 1000; i++)
        {
            var key = HashKey.FromPartitionKey($"key-{i}");
            var shard = map.Route(key);
            Assert.NotNull(shard);
            Assert.True(ranges[shard].Contains(key));
        }
    }

    [Fact]
    public void A_map_with_no_open_shards_routes_nothing()
    {
        var map = new ShardMap([]);

        Assert.Null(map.Route(HashKey.MinValue));
        Assert.Null(map.Route(HashKey.MaxValue));
        Assert.Empty(map.OpenShardIds);
        Assert.Empty(map.KnownRanges);
    }

    [Fact]
    public void Keys_in_a_gap_below_between_or_above_the_shards_route_to_null()
    {
        var map = new ShardMap([Open("a", 100, 199), Open("b", 300, 399)]);

        Assert.Null(map.Route(new HashKey(0)));
        Assert.Null(map.Route(new HashKey(99)));
        Assert.Equal("a", map.Route(new HashKey(100)));
        Assert.Equal("a", map.Route(new HashKey(199)));
        Assert.Null(map.Route(new HashKey(200)));
        Assert.Null(map.Route(new HashKey(299)));
        Assert.Equal("b", map.Route(new HashKey(300)));
        Assert.Equal("b", map.Route(new HashKey(399)));
        Assert.Null(map.Route(new HashKey(400)));
        Assert.Null(map.Route(HashKey.MaxValue));
    }

    [Fact]
    public void A_shard_of_a_single_key_owns_just_that_key()
    {
        var map = new ShardMap([Open("low", 0, 41), Open("one", 42, 42), Open("high", 43, UInt128.MaxValue)]);

        Assert.Equal("low", map.Route(new HashKey(41)));
        Assert.Equal("one", map.Route(new HashKey(42)));
        Assert.Equal("high", map.Route(new HashKey(43)));
    }

    [Fact]
    public void Closed_shards_are_never_routed_to_even_where_no_open_shard_covers_the_key()
    {
        var half = UInt128.MaxValue / 2;
        var map = new ShardMap([Closed("parent", 0, half), Open("child-low", 0, (half / 2) - 1), Open("other", half + 1, UInt128.MaxValue)]);

        Assert.Equal("child-low", map.Route(HashKey.MinValue));
        Assert.Null(map.Route(new HashKey(half / 2)));
        Assert.Null(map.Route(new HashKey(half)));
        Assert.Equal("other", map.Route(new HashKey(half + 1)));
        Assert.False(map.IsOpen("parent"));
        Assert.Equal(["child-low", "other"], map.OpenShardIds);
    }

    [Fact]
    public void A_closed_shard_in_the_listing_is_not_routed_to_but_its_range_is_known()
    {
        var map = new ShardMap([Closed("parent", 0, 999), Open("child", 0, 999)]);

        Assert.Equal("child", map.Route(new HashKey(500)));
        Assert.True(map.TryGetRange("parent", out var range), "the closed shard's range was dropped from KnownRanges");
        Assert.Equal(new HashKeyRange(new HashKey(0), new HashKey(999)), range);
    }

    [Fact]
    public void A_shard_closed_since_the_earlier_map_keeps_its_range_but_is_not_routed_to()
    {
        var half = UInt128.MaxValue / 2;
        var before = new ShardMap([Open("a", 0, half), Open("b", half + 1, UInt128.MaxValue)]);
        var after = new ShardMap(
            [Open("a1", 0, half / 2), Open("a2", (half / 2) + 1, half), Open("b", half + 1, UInt128.MaxValue)],
            before.KnownRanges,
            before.Version + 1);

        Assert.Equal(2, after.Version);
        Assert.Equal(["a1", "a2", "b"], after.OpenShardIds);
        Assert.False(after.IsOpen("a"));
        Assert.True(after.IsOpen("a1"));
        Assert.True(after.TryGetRange("a", out var range));
        Assert.Equal(new HashKeyRange(HashKey.MinValue, new HashKey(half)), range);
        Assert.Equal(new HashSet<string> { "a", "a1", "a2", "b" }, after.KnownRanges.Keys.ToHashSet());
        Assert.Equal("a1", after.Route(HashKey.MinValue));
        Assert.Equal("a2", after.Route(new HashKey(half)));
    }

    [Fact]
    public void Known_ranges_are_carried_through_every_later_map()
    {
        var first = new ShardMap([Open("gen1", HashKeyRange.Full)]);
        var second = new ShardMap([Open("gen2", HashKeyRange.Full)], first.KnownRanges, first.Version + 1);
        var third = new ShardMap([Open("gen3", HashKeyRange.Full)], second.KnownRanges, second.Version + 1);

        Assert.Equal(3, third.Version);
        Assert.True(third.TryGetRange("gen1", out _));
        Assert.True(third.TryGetRange("gen2", out _));
        Assert.Equal("gen3", third.Route(HashKey.MaxValue));
    }

    [Fact]
    public void Building_a_new_map_leaves_the_earlier_maps_ranges_as_they_were()
    {
        var first = new ShardMap([Open("a", HashKeyRange.Full)]);
        _ = new ShardMap([Open("b", HashKeyRange.Full)], first.KnownRanges, 2);

        Assert.Equal(["a"], first.KnownRanges.Keys);
        Assert.False(first.TryGetRange("b", out _));
    }

    [Fact]
    public void An_open_shards_current_range_replaces_an_earlier_one_for_the_same_id()
    {
        var earlier = new Dictionary<string, HashKeyRange> { ["s"] = new(new HashKey(0), new HashKey(10)) };
        var map = new ShardMap([Open("s", 0, 20)], earlier);

        Assert.True(map.TryGetRange("s", out var range));
        Assert.Equal(new HashKeyRange(new HashKey(0), new HashKey(20)), range);
        Assert.Equal("s", map.Route(new HashKey(15)));
    }

    [Fact]
    public void TryGetRange_of_an_unknown_shard_is_false()
    {
        Assert.False(UniformMap().TryGetRange("shardId-000000000099", out _));
    }

    [Fact]
    public void TryGetRange_of_an_open_shard_is_its_listed_range()
    {
        var map = UniformMap();

        foreach (var s in Uniform4)
        {
            Assert.True(map.TryGetRange(s[0], out var range));
            Assert.Equal(HashKeyRange.Parse(s[1], s[2]), range);
        }
    }

    [Fact]
    public void Version_is_one_unless_given()
    {
        Assert.Equal(1, new ShardMap([]).Version);
        Assert.Equal(42, new ShardMap([], null, 42).Version);
    }

    [Fact]
    public void Route_agrees_with_a_linear_scan_for_any_layout_of_non_overlapping_shards()
    {
        var wide = Gen.Select(Gen.ULong, Gen.ULong, (hi, lo) => new UInt128(hi, lo));
        var narrow = Gen.ULong[0, 1000].Select(v => (UInt128)v);
        var cuts = Gen.OneOf(wide, narrow).Array[0, 30];

        // Each range between consecutive cuts is kept open, dropped (a gap) or listed closed.
        var fates = Gen.Int[0, 5].Array[31];
        var probes = Gen.OneOf(wide, narrow).Array[0, 50];

        SeededCheck.ForAll(Gen.Select(cuts, fates, probes, Gen.Int), c =>
        {
            var (cutPoints, fate, probeKeys, shuffle) = c;
            var starts = cutPoints.Append(UInt128.Zero).Distinct().Order().ToArray();
            var shards = new List<Shard>();
            for (var i = 0; i < starts.Length; i++)
            {
                var end = i + 1 < starts.Length ? starts[i + 1] - 1 : UInt128.MaxValue;
                var id = $"shard-{i}";
                switch (fate[i])
                {
                    case 0:
                        break;
                    case 1:
                        shards.Add(Closed(id, starts[i], end));
                        break;
                    default:
                        shards.Add(Open(id, starts[i], end));
                        break;
                }
            }

            var listed = shards.ToArray();
            new Random(shuffle).Shuffle(listed);
            var map = new ShardMap(listed);
            var keys = probeKeys
                .Concat(starts)
                .Concat(starts.Where(s => s > 0).Select(s => s - 1))
                .Append(UInt128.MaxValue)
                .Select(k => new HashKey(k));
            foreach (var key in keys)
            {
                var expected = listed.FirstOrDefault(s => s.IsOpen && s.Contains(key))?.ShardId;
                Assert.True(expected == map.Route(key), $"key {key}: expected {expected ?? "null"}, routed to {map.Route(key) ?? "null"}");
            }
        });
    }
}
