using CsCheck;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Tests.Records;

namespace Kinesis.Clients.Tests.Aggregation;

public sealed class AggregateDigestsTests
{
    [Fact]
    public void Aggregates_written_undigested_then_completed_together_equal_those_written_whole()
    {
        SeededCheck.ForAll(AggregationGen.AnyRecords.Array[0, 24], aggregates =>
        {
            var expected = new byte[aggregates.Length][];
            var written = new Memory<byte>[aggregates.Length];
            for (var i = 0; i < aggregates.Length; i++)
            {
                using var builder = new AggregateBuilder(maxEncodedSize: 10 * 1024 * 1024);
                foreach (var record in aggregates[i])
                {
                    Assert.True(builder.TryAdd(record.PartitionKey, record.ExplicitHashKey, record.Data));
                }

                expected[i] = builder.ToArray();

                // Garbage where the digest goes, and past the end, so a digest left unwritten or written off by one shows.
                var destination = new byte[builder.EncodedSize + 7];
                Array.Fill(destination, (byte)0xA5);
                Assert.Equal(builder.EncodedSize, builder.WriteUndigested(destination));
                written[i] = destination.AsMemory(0, builder.EncodedSize);
            }

            AggregateDigests.Complete(written);

            for (var i = 0; i < aggregates.Length; i++)
            {
                Assert.Equal(expected[i], written[i].ToArray());
                Assert.Equal(aggregates[i].Length, Deaggregator.Deaggregate("a", written[i]).Count);
            }
        });
    }

    [Fact]
    public void An_undigested_aggregate_does_not_pass_the_consumers_check()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("pk1", null, "hello"u8);
        builder.TryAdd("pk2", null, "world"u8);
        var bytes = new byte[builder.EncodedSize];
        builder.WriteUndigested(bytes);

        // Delivered as one opaque record, as any record with a bad digest.
        var records = Deaggregator.Deaggregate("a", bytes);
        Assert.Single(records);
        Assert.False(records[0].IsAggregated);
    }

    [Fact]
    public void Something_that_is_not_an_aggregate_is_refused_by_its_position()
    {
        using var builder = new AggregateBuilder();
        builder.TryAdd("pk1", null, "hello"u8);
        var good = new byte[builder.EncodedSize];
        builder.WriteUndigested(good);
        var noMagic = new byte[40];
        var tooShort = good.AsMemory(0, 19);

        var error = Assert.Throws<ArgumentException>(() => AggregateDigests.Complete([good, noMagic]));
        Assert.Contains("Aggregate 1 (40 bytes)", error.Message, StringComparison.Ordinal);
        Assert.Contains("Aggregate 0 (19 bytes)", Assert.Throws<ArgumentException>(() => AggregateDigests.Complete([tooShort])).Message, StringComparison.Ordinal);

        // Nothing was written before the check failed.
        Assert.All(good[^16..], b => Assert.Equal(0, b));
    }

    [Fact]
    public void No_aggregates_is_nothing_to_do() => AggregateDigests.Complete([]);
}
