using System.Text;
using CsCheck;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Records;
using Kinesis.Clients.Tests.Records;

namespace Kinesis.Clients.Tests.Aggregation;

/// <summary>Runs of records sharing one key: <see cref="AggregateBuilder.TryAddRun"/> and <see cref="AggregateBuilder.SizeOfRun"/>.</summary>
public sealed class AggregateBuilderRunTests
{
    private const int Large = 10 * 1024 * 1024;

    /// <summary>Lengths around every varint boundary a record or its data length can cross, plus ordinary ones.</summary>
    private static readonly Gen<int> Length = Gen.Frequency(
        (2, Gen.OneOfConst(0, 1, 126, 127, 128, 129, 16_382, 16_383, 16_384, 16_385)),
        (4, Gen.Int[0, 300]),
        (1, Gen.Int[300, 20_000]));

    private static readonly Gen<Run> AnyRun = Gen.Select(AggregationGen.PartitionKey, AggregationGen.ExplicitHashKey, Length.Array[1, 24])
        .SelectMany(sample => Gen.Byte.Array[sample.Item3.Sum()].Select(data => new Run(sample.Item1, sample.Item2, data, sample.Item3)));

    /// <summary>Single records and runs, mixed, drawing keys from a small pool so runs reuse table entries.</summary>
    private static readonly Gen<object[]> Mixed = Gen.Frequency(
        (1, AggregationGen.Record.Select(r => (object)r)),
        (1, AnyRun.Select(r => (object)r))).Array[1, 12];

    [Theory]
    [InlineData(null)]
    [InlineData("12345")]
    public void A_run_decodes_to_exactly_its_records_in_order_with_its_key(string? explicitHashKey)
    {
        using var builder = new AggregateBuilder();
        var run = Run.Of("line-key", explicitHashKey, "first", "", "third record", "4");

        Assert.True(builder.TryAddRun(run.PartitionKey, run.ExplicitHashKey, run.Data, run.Lengths));

        var decoded = Deaggregator.Deaggregate("x", builder.ToArray());
        Assert.Equal(4, builder.Count);
        Assert.Equal(run.Records, decoded.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.All(decoded, r => Assert.Equal("line-key", r.PartitionKey));
        Assert.All(decoded, r => Assert.Equal(explicitHashKey, r.ExplicitHashKey));
        Assert.Equal([0L, 1, 2, 3], decoded.Select(r => r.SubSequenceNumber));
    }

    [Fact]
    public void A_run_between_single_records_decodes_right_and_EncodedSize_is_the_bytes_written()
    {
        using var builder = new AggregateBuilder();
        var first = Run.Of("k1", null, "a", "bb");
        var second = Run.Of("k2", "99", "ccc", "", "dddd");

        Assert.True(builder.TryAdd("k2", null, "one"u8));
        Assert.True(builder.TryAddRun(first.PartitionKey, first.ExplicitHashKey, first.Data, first.Lengths));
        Assert.True(builder.TryAdd("k1", "99", "two"u8));
        Assert.True(builder.TryAddRun(second.PartitionKey, second.ExplicitHashKey, second.Data, second.Lengths));

        var bytes = builder.ToArray();
        Assert.Equal(builder.EncodedSize, bytes.Length);
        Assert.Equal(builder.EncodedSize, builder.WriteTo(new byte[builder.EncodedSize]));
        Assert.Equal(7, builder.Count);
        Assert.Equal(
            ["k2/-/one", "k1/-/a", "k1/-/bb", "k1/99/two", "k2/99/ccc", "k2/99/", "k2/99/dddd"],
            Deaggregator.Deaggregate("x", bytes).Select(r => $"{r.PartitionKey}/{r.ExplicitHashKey ?? "-"}/{Encoding.UTF8.GetString(r.Data.Span)}"));
    }

    [Fact]
    public void Runs_mixed_with_single_records_encode_byte_for_byte_as_the_same_records_added_one_by_one()
    {
        SeededCheck.ForAll(Mixed, items =>
        {
            using var withRuns = new AggregateBuilder(maxEncodedSize: Large);
            using var oneByOne = new AggregateBuilder(maxEncodedSize: Large);
            var expected = new List<TestRecord>();
            foreach (var item in items)
            {
                if (item is Run run)
                {
                    Assert.True(withRuns.TryAddRun(run.PartitionKey, run.ExplicitHashKey, run.Data, run.Lengths));
                    expected.AddRange(run.Split());
                }
                else
                {
                    var record = (TestRecord)item;
                    Assert.True(withRuns.TryAdd(record.PartitionKey, record.ExplicitHashKey, record.Data));
                    expected.Add(record);
                }

                Assert.Equal(withRuns.EncodedSize, withRuns.ToArray().Length);
            }

            foreach (var record in expected)
            {
                Assert.True(oneByOne.TryAdd(record.PartitionKey, record.ExplicitHashKey, record.Data));
            }

            var bytes = withRuns.ToArray();
            Assert.Equal(expected.Count, withRuns.Count);
            Assert.Equal(oneByOne.ToArray(), bytes);
            Assert.Equal(oneByOne.ToKinesisData(), withRuns.ToKinesisData());
            Assert.Equal(oneByOne.KinesisPartitionKey, withRuns.KinesisPartitionKey);
            Assert.Equal(oneByOne.KinesisExplicitHashKey, withRuns.KinesisExplicitHashKey);
            var decoded = Deaggregator.Deaggregate("x", bytes);
            Assert.Equal(expected.Select(r => r.PartitionKey), decoded.Select(r => r.PartitionKey));
            Assert.Equal(expected.Select(r => r.ExplicitHashKey), decoded.Select(r => r.ExplicitHashKey));
            Assert.Equal(expected.Select(r => Convert.ToHexString(r.Data)), decoded.Select(r => Convert.ToHexString(r.Data.Span)));
        }, cases: 150);
    }

    [Fact]
    public void A_run_that_passes_the_size_limit_by_one_byte_is_refused_without_changing_anything_and_fits_at_the_limit()
    {
        var run = Run.Of("run-key", null, "alpha", "beta", "gamma", "");
        int exact;
        using (var measure = new AggregateBuilder(maxEncodedSize: Large))
        {
            measure.TryAdd("other", null, new byte[40]);
            foreach (var record in run.Split())
            {
                measure.TryAdd(record.PartitionKey, record.ExplicitHashKey, record.Data);
            }

            exact = measure.EncodedSize;
        }

        using var tight = new AggregateBuilder(maxEncodedSize: exact - 1);
        Assert.True(tight.TryAdd("other", null, new byte[40]));
        var before = tight.ToArray();
        var sizeBefore = tight.EncodedSize;

        Assert.False(tight.TryAddRun(run.PartitionKey, run.ExplicitHashKey, run.Data, run.Lengths));

        Assert.Equal(1, tight.Count);
        Assert.Equal(sizeBefore, tight.EncodedSize);
        Assert.Equal(before, tight.ToArray());
        Assert.Equal("other", tight.KinesisPartitionKey);
        Assert.Equal(40, tight.KinesisDataLength);

        // Nothing of the refused run lingers (its key is not in the table): later records encode as if it never came.
        Assert.True(tight.TryAdd("other", null, "z"u8));
        Assert.Equal(Kpl.Encode([new TestRecord("other", null, new byte[40]), new TestRecord("other", "z")]), tight.ToArray());

        using var atLimit = new AggregateBuilder(maxEncodedSize: exact);
        atLimit.TryAdd("other", null, new byte[40]);
        Assert.True(atLimit.TryAddRun(run.PartitionKey, run.ExplicitHashKey, run.Data, run.Lengths));
        Assert.Equal(exact, atLimit.EncodedSize);
        Assert.Equal(5, atLimit.Count);
    }

    [Fact]
    public void An_empty_builder_accepts_a_run_larger_than_the_limit_and_then_refuses_more()
    {
        using var builder = new AggregateBuilder(maxEncodedSize: 64);
        var run = new Run("big", null, new byte[1000], [300, 300, 400]);

        Assert.True(builder.TryAddRun(run.PartitionKey, run.ExplicitHashKey, run.Data, run.Lengths));

        Assert.Equal(3, builder.Count);
        Assert.Equal(AggregateBuilder.SizeOfRun("big", null, [300, 300, 400]), builder.EncodedSize);
        Assert.Equal(builder.EncodedSize, builder.KinesisDataLength);
        Assert.Equal("a", builder.KinesisPartitionKey);
        Assert.Equal(HashKey.FromPartitionKey("big").ToString(), builder.KinesisExplicitHashKey);
        Assert.False(builder.TryAdd("small", null, [1]));
        Assert.False(builder.TryAddRun("big", null, new byte[2], [1, 1]));
        Assert.Equal(3, builder.Count);
    }

    [Fact]
    public void A_run_of_one_record_in_an_empty_builder_goes_to_Kinesis_raw_like_TryAdd()
    {
        using var builder = new AggregateBuilder();

        Assert.True(builder.TryAddRun("solo", "7", "hello"u8, [5]));

        Assert.Equal(1, builder.Count);
        Assert.Equal("solo", builder.KinesisPartitionKey);
        Assert.Equal("7", builder.KinesisExplicitHashKey);
        Assert.Equal("hello"u8.ToArray(), builder.ToKinesisData());
        Assert.Equal(5, builder.KinesisDataLength);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(127)]
    [InlineData(128)]
    [InlineData(16_383)]
    [InlineData(16_384)]
    [InlineData(2_097_152)]
    public void SizeOfRun_is_exact_across_varint_length_boundaries(int length)
    {
        int[] lengths = [length, 1, length];
        using var builder = new AggregateBuilder(maxEncodedSize: Large);

        Assert.True(builder.TryAddRun("key", "12345", new byte[lengths.Sum()], lengths));

        Assert.Equal(AggregateBuilder.SizeOfRun("key", "12345", lengths), builder.EncodedSize);
        Assert.Equal(builder.EncodedSize, builder.ToArray().Length);
    }

    [Fact]
    public void SizeOfRun_always_equals_the_EncodedSize_of_a_fresh_builder_holding_the_run()
    {
        SeededCheck.ForAll(AnyRun, run =>
        {
            using var builder = new AggregateBuilder(maxEncodedSize: Large);

            Assert.True(builder.TryAddRun(run.PartitionKey, run.ExplicitHashKey, run.Data, run.Lengths));

            Assert.Equal(AggregateBuilder.SizeOfRun(run.PartitionKey, run.ExplicitHashKey, run.Lengths), builder.EncodedSize);
            Assert.Equal(builder.EncodedSize, builder.ToArray().Length);
            Assert.Equal(run.Lengths.Length, builder.Count);
            Assert.Equal(
                run.Split().Select(r => Convert.ToHexString(r.Data)),
                Deaggregator.Deaggregate("x", builder.ToArray()).Select(r => Convert.ToHexString(r.Data.Span)));
        });
    }

    [Fact]
    public void A_negative_length_throws_naming_it_and_changes_nothing()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("k", null, "x"u8);
        var before = builder.ToArray();

        var error = Assert.Throws<ArgumentException>(() => builder.TryAddRun("k", null, new byte[4], [5, -1]));

        Assert.Equal("lengths", error.ParamName);
        Assert.Contains("negative", error.Message, StringComparison.Ordinal);
        Assert.Contains("-1", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, builder.Count);
        Assert.Equal(before, builder.ToArray());
    }

    [Theory]
    [InlineData(new[] { 2, 2 }, 5)]
    [InlineData(new[] { 3, 3 }, 5)]
    [InlineData(new[] { 0 }, 1)]
    public void Lengths_that_do_not_add_up_to_the_data_throw_naming_both_sums_and_change_nothing(int[] lengths, int dataLength)
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("k", null, "x"u8);
        var before = builder.ToArray();

        var error = Assert.Throws<ArgumentException>(() => builder.TryAddRun("k", null, new byte[dataLength], lengths));

        Assert.Equal("lengths", error.ParamName);
        Assert.Contains($"add up to {lengths.Sum()} bytes", error.Message, StringComparison.Ordinal);
        Assert.Contains($"has {dataLength}", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, builder.Count);
        Assert.Equal(before, builder.ToArray());
    }

    [Fact]
    public void Lengths_that_do_not_add_up_throw_even_when_the_run_would_not_fit()
    {
        using var builder = new AggregateBuilder(maxEncodedSize: 64);
        builder.TryAdd("k", null, new byte[30]);

        Assert.Throws<ArgumentException>(() => builder.TryAddRun("k", null, new byte[100], [10, 10]));
    }

    [Fact]
    public void No_lengths_for_some_data_throws_as_lengths_that_do_not_add_up()
    {
        using var builder = new AggregateBuilder();

        var error = Assert.Throws<ArgumentException>(() => builder.TryAddRun("k", null, "data"u8, []));

        Assert.Equal("lengths", error.ParamName);
        Assert.Equal(0, builder.Count);
    }

    [Fact]
    public void SizeOfRun_throws_for_a_negative_length()
    {
        var error = Assert.Throws<ArgumentException>(() => AggregateBuilder.SizeOfRun("k", null, [1, -3]));

        Assert.Equal("lengths", error.ParamName);
        Assert.Contains("-3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_run_that_would_pass_the_record_count_limit_is_refused_and_one_reaching_it_is_taken()
    {
        using var builder = new AggregateBuilder(maxCount: 5);
        builder.TryAdd("a", null, [1]);
        builder.TryAdd("b", null, [2]);
        var before = builder.ToArray();

        Assert.False(builder.TryAddRun("c", null, [3, 4, 5, 6], [1, 1, 1, 1]));
        Assert.Equal(2, builder.Count);
        Assert.Equal(before, builder.ToArray());

        Assert.True(builder.TryAddRun("c", null, [3, 4, 5], [1, 1, 1]));
        Assert.Equal(5, builder.Count);
        Assert.False(builder.TryAddRun("d", null, [7, 8], [1, 1]));
        Assert.False(builder.TryAdd("d", null, [7]));
        Assert.Equal(5, builder.Count);
    }

    [Fact]
    public void An_empty_builder_accepts_a_run_of_more_records_than_the_count_limit_as_it_accepts_an_oversized_record()
    {
        using var builder = new AggregateBuilder(maxCount: 2);

        Assert.True(builder.TryAddRun("c", null, [1, 2, 3], [1, 1, 1]));

        Assert.Equal(3, builder.Count);
        Assert.False(builder.TryAdd("d", null, [4]));
    }

    [Fact]
    public void Reset_after_a_run_makes_the_builder_encode_like_a_new_one()
    {
        using var reused = new AggregateBuilder();
        reused.TryAddRun("old", "99", new byte[30], [10, 20]);
        reused.Reset();

        reused.TryAdd("pk1", null, "hello"u8);
        reused.TryAdd("pk2", null, "world"u8);
        reused.TryAdd("pk1", null, "!"u8);

        Assert.Equal(Kpl.TestVectorHex, Convert.ToHexStringLower(reused.ToArray()));
    }

    /// <summary>A run as a test states it: the records' data back to back and each one's length.</summary>
    private sealed record Run(string PartitionKey, string? ExplicitHashKey, byte[] Data, int[] Lengths)
    {
        public IEnumerable<string> Records => Split().Select(r => Encoding.UTF8.GetString(r.Data));

        public static Run Of(string partitionKey, string? explicitHashKey, params string[] records) => new(
            partitionKey,
            explicitHashKey,
            Encoding.UTF8.GetBytes(string.Concat(records)),
            records.Select(Encoding.UTF8.GetByteCount).ToArray());

        public IEnumerable<TestRecord> Split()
        {
            var offset = 0;
            foreach (var length in Lengths)
            {
                yield return new TestRecord(PartitionKey, ExplicitHashKey, Data[offset..(offset + length)]);
                offset += length;
            }
        }

        public override string ToString() => $"({PartitionKey}, {ExplicitHashKey ?? "-"}, [{string.Join(",", Lengths)}])";
    }
}
