using System.Text;
using CsCheck;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Tests.Retrieval;

/// <summary>Pages of Kinesis records into user records: splitting, skipping through a checkpoint, and hash-range counting.</summary>
public sealed class RecordDeaggregationTests
{
    private static readonly DateTimeOffset Arrival = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    // The lower half of the key space, as the first shard of a two-shard stream owns it.
    private static readonly HashKeyRange LowerHalf = new(HashKey.MinValue, new HashKey(UInt128.MaxValue / 2));

    private static readonly string High = new HashKey(UInt128.MaxValue).ToString();

    [Fact]
    public void A_plain_record_passes_through_as_one_record()
    {
        var (records, counts) = Run([Plain("100", "key", "data")]);

        var record = Assert.Single(records);
        Assert.Equal(("100", 0L, "key", (string?)null, "data", false), Describe(record));
        Assert.Equal(Arrival, record.ApproximateArrivalTimestamp);
        Assert.Equal(new DeaggregationCounts(1, 0, 0, 4, 0), counts);
    }

    [Fact]
    public void An_aggregate_splits_into_its_sub_records_with_their_keys_and_sub_sequence_numbers()
    {
        var aggregate = Aggregate("200", ("k1", null, "a"), ("k2", "7", "b"), ("k1", null, "c"));

        var (records, counts) = Run([aggregate]);

        Assert.Equal(
            [("200", 0L, "k1", (string?)null, "a", true), ("200", 1L, "k2", "7", "b", true), ("200", 2L, "k1", null, "c", true)],
            records.Select(Describe));
        Assert.Equal(3, counts.Delivered);
        Assert.Equal(2, counts.LastSubSequenceNumber);
        Assert.Equal(aggregate.Data.Length, counts.DataBytes);
    }

    [Fact]
    public void A_record_that_only_looks_aggregated_passes_through_whole()
    {
        var bad = Aggregate("300", ("k", null, "x"), ("k", null, "y")).Data.ToArray();
        bad[^1] ^= 0xFF; // breaks the MD5
        var (records, _) = Run([new KinesisRecord("300", Arrival, "a", bad, null)]);

        var record = Assert.Single(records);
        Assert.False(record.IsAggregated);
        Assert.Equal("a", record.PartitionKey);
        Assert.Equal(bad, record.Data.ToArray());
    }

    [Fact]
    public void A_missing_arrival_time_is_left_default()
    {
        var (records, _) = Run([new KinesisRecord("1", null, "k", "d"u8.ToArray(), null)]);
        Assert.Equal(default, Assert.Single(records).ApproximateArrivalTimestamp);
    }

    public static TheoryData<string?, long, string[]> SkipCases => new()
    {
        // Page: 98 (plain), 99 (aggregate of 4), 100 (plain), 101 (aggregate of 2); lengths differ across 99/100.
        { null, 0, ["98/0", "99/0", "99/1", "99/2", "99/3", "100/0", "101/0", "101/1"] },
        { "97", 5, ["98/0", "99/0", "99/1", "99/2", "99/3", "100/0", "101/0", "101/1"] },
        { "98", 0, ["99/0", "99/1", "99/2", "99/3", "100/0", "101/0", "101/1"] },
        { "99", 0, ["99/1", "99/2", "99/3", "100/0", "101/0", "101/1"] },
        { "99", 2, ["99/3", "100/0", "101/0", "101/1"] },
        { "99", 3, ["100/0", "101/0", "101/1"] },
        { "99", 9, ["100/0", "101/0", "101/1"] },
        { "100", 0, ["101/0", "101/1"] },
        { "101", 0, ["101/1"] },
        { "101", 1, [] },
        { "1000", 0, [] },
    };

    [Theory]
    [MemberData(nameof(SkipCases))]
    public void Records_at_or_before_the_skip_position_are_left_out(string? skipSequence, long skipSub, string[] expected)
    {
        KinesisRecord[] page =
        [
            Plain("98", "k", "x"),
            Aggregate("99", ("a", null, "0"), ("b", null, "1"), ("c", null, "2"), ("d", null, "3")),
            Plain("100", "k", "y"),
            Aggregate("101", ("e", null, "0"), ("f", null, "1")),
        ];
        RecordPosition? skip = skipSequence is null ? null : new RecordPosition(skipSequence, skipSub);

        var (records, counts) = Run(page, skip: skip);

        Assert.Equal(expected, records.Select(r => $"{r.SequenceNumber}/{r.SubSequenceNumber}"));
        Assert.Equal(8 - expected.Length, counts.Skipped);
        Assert.Equal(1, counts.LastSubSequenceNumber);
    }

    public static TheoryData<string, string?, bool> RangeCases => new()
    {
        { "k", "0", true },
        { "k", new HashKey(UInt128.MaxValue / 2).ToString(), true },
        { "k", new HashKey((UInt128.MaxValue / 2) + 1).ToString(), false },
        { "k", High, false },
        { "k", "not-a-number", false },
        { "k", "007", false },
        { KeyIn(LowerHalf), null, true },
        { KeyOutside(LowerHalf), null, false },
    };

    [Theory]
    [MemberData(nameof(RangeCases))]
    public void A_sub_record_belongs_by_its_explicit_hash_key_else_its_partition_key(string partitionKey, string? explicitHashKey, bool belongs)
    {
        var sub = new DeaggregatedRecord(partitionKey, explicitHashKey, default, 0, isAggregated: true);
        Assert.Equal(belongs, RecordDeaggregation.Belongs(sub, LowerHalf));

        // In a page: always delivered, counted when outside.
        var (records, counts) = Run([Aggregate("5", ("first", "0", "a"), (partitionKey, explicitHashKey, "b"))], LowerHalf);
        Assert.Equal(2, records.Count);
        Assert.Equal(belongs ? 0 : 1, counts.OutOfRange);
    }

    [Fact]
    public void Plain_records_are_never_counted_out_of_range()
    {
        var (records, counts) = Run([Plain("1", KeyOutside(LowerHalf), "x")], LowerHalf);
        Assert.Single(records);
        Assert.Equal(0, counts.OutOfRange);
    }

    [Fact]
    public void Skipped_sub_records_are_not_counted_out_of_range()
    {
        var page = new[] { Aggregate("10", ("a", High, "0"), ("b", High, "1"), ("c", High, "2")) };
        var (records, counts) = Run(page, LowerHalf, new RecordPosition("10", 0));
        Assert.Equal(2, records.Count);
        Assert.Equal(2, counts.OutOfRange);
    }

    [Fact]
    public void An_empty_page_gives_nothing()
    {
        Assert.Equal(default, Run([]).Counts);
    }

    [Fact]
    public void Any_page_and_skip_position_deliver_exactly_the_user_records_after_it_in_order()
    {
        // Sizes of Kinesis records: 0 is a plain record, n > 0 an aggregate of n sub-records.
        var pages = Gen.Int[0, 6].Array[0, 12];
        var start = Gen.ULong[1, 2_000_000];
        var skipChoice = Gen.Int[-1, 80];
        var skipSubExtra = Gen.Int[0, 2];

        SeededCheck.ForAll(Gen.Select(pages, start, skipChoice, skipSubExtra), c =>
        {
            var (sizes, first, choice, extra) = c;
            var page = new List<KinesisRecord>();
            var all = new List<RecordPosition>();
            var sequence = first;
            foreach (var size in sizes)
            {
                sequence += 1 + (sequence % 997); // crosses decimal lengths now and then
                var text = sequence.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (size == 0)
                {
                    page.Add(Plain(text, "k", "p"));
                    all.Add(new RecordPosition(text, 0));
                }
                else
                {
                    page.Add(Aggregate(text, Enumerable.Range(0, size).Select(i => ($"k{i}", (string?)null, $"{i}")).ToArray()));
                    all.AddRange(Enumerable.Range(0, size).Select(i => new RecordPosition(text, i)));
                }
            }

            // Skip through an existing position (possibly past the record's last sub-record), or none.
            RecordPosition? skip = choice < 0 || all.Count == 0
                ? null
                : all[choice % all.Count] with { SubSequenceNumber = all[choice % all.Count].SubSequenceNumber + extra };

            var (records, counts) = Run(page, skip: skip);

            var expected = all.Where(p => skip is not { } s || p > s).ToList();
            Assert.Equal(expected, records.Select(r => new RecordPosition(r.SequenceNumber, r.SubSequenceNumber)));
            Assert.Equal(all.Count - expected.Count, counts.Skipped);
        });
    }

    [Fact]
    public void A_compressed_aggregate_splits_like_the_aggregate_and_resumes_after_a_checkpoint_inside_it()
    {
        var aggregate = Aggregate("400", ("k1", null, "a"), ("k2", null, "b"), ("k1", null, "c"));
        var compressed = aggregate with { Data = RecordCodec.Encode(aggregate.Data.Span, RecordCompression.Zstd()) };

        var (all, counts) = Run([compressed]);
        var (resumed, _) = Run([compressed], skip: new RecordPosition("400", 1));

        Assert.Equal(Run([aggregate]).Records.Select(Describe), all.Select(Describe));
        Assert.Equal(0, counts.Undecodable);
        Assert.Equal(compressed.Data.Length, counts.DataBytes);
        Assert.Equal([("400", 2L, "k1", (string?)null, "c", true)], resumed.Select(Describe));
    }

    [Fact]
    public void A_damaged_envelope_is_delivered_as_it_is_and_counted()
    {
        var envelope = RecordCodec.Encode(Encoding.UTF8.GetBytes(new string('x', 500)), RecordCompression.Gzip());
        var damaged = envelope[..^4];

        var (records, counts) = Run([new KinesisRecord("500", Arrival, "key", damaged, null), Plain("501", "key", "fine")]);

        Assert.Equal(2, records.Count);
        Assert.Equal(damaged, records[0].Data.ToArray());
        Assert.False(records[0].IsAggregated);
        Assert.Equal(1, counts.Undecodable);
    }

    private static (List<ConsumerRecord> Records, DeaggregationCounts Counts) Run(
        IReadOnlyList<KinesisRecord> page, HashKeyRange? range = null, RecordPosition? skip = null)
    {
        var records = new List<ConsumerRecord>();
        var counts = RecordDeaggregation.AppendTo(page, range, skip, records);
        Assert.Equal(records.Count, counts.Delivered);
        return (records, counts);
    }

    private static KinesisRecord Plain(string sequence, string key, string data) =>
        new(sequence, Arrival, key, Encoding.UTF8.GetBytes(data), null);

    private static KinesisRecord Aggregate(string sequence, params (string Key, string? ExplicitHashKey, string Data)[] subRecords)
    {
        using var builder = new AggregateBuilder();
        foreach (var (key, explicitHashKey, data) in subRecords)
        {
            Assert.True(builder.TryAdd(key, explicitHashKey, Encoding.UTF8.GetBytes(data)));
        }

        // The aggregate itself, even for one sub-record: what a KPL aggregate of one looks like when forced.
        return new KinesisRecord(sequence, Arrival, "a", builder.ToArray(), null);
    }

    private static (string, long, string, string?, string, bool) Describe(ConsumerRecord r) =>
        (r.SequenceNumber, r.SubSequenceNumber, r.PartitionKey, r.ExplicitHashKey, Encoding.UTF8.GetString(r.Data.Span), r.IsAggregated);

    private static string KeyIn(HashKeyRange range) => FindKey(k => range.Contains(HashKey.FromPartitionKey(k)));

    private static string KeyOutside(HashKeyRange range) => FindKey(k => !range.Contains(HashKey.FromPartitionKey(k)));

    private static string FindKey(Func<string, bool> fits) =>
        Enumerable.Range(0, 1000).Select(i => $"key-{i}").First(fits);
}
