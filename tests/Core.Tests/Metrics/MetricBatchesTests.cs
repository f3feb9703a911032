using CsCheck;
using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Metrics;
using Kinesis.Clients.Tests.Records;

namespace Kinesis.Clients.Tests.Metrics;

/// <summary>Batches stay within the count and byte limits and keep every datum, in order.</summary>
public sealed class MetricBatchesTests
{
    private static readonly DateTimeOffset At = new(2025, 1, 2, 3, 4, 5, 678, TimeSpan.Zero);

    [Fact]
    public void Large_data_split_by_size_before_count()
    {
        var dimensions = Enumerable.Range(0, 30).Select(i => new MetricDimension($"Dimension{i}", new string('v', 1000))).ToArray();
        var data = Enumerable.Range(0, 100).Select(i => Datum(i, dimensions)).ToArray();

        var batches = MetricBatches.Split("App", data, 1000, CloudWatchLimits.MaxPayloadBytes);

        Assert.True(batches.Count > 1);
        Assert.All(batches, b => Assert.InRange(PutMetricDataForm.Encode("App", b).Length, 1, CloudWatchLimits.MaxPayloadBytes));
        Assert.Equal(data, batches.SelectMany(b => b));
    }

    [Fact]
    public void Batches_are_filled_up_to_the_limits()
    {
        var data = Enumerable.Range(0, 2500).Select(i => Datum(i, [])).ToArray();

        var batches = MetricBatches.Split("App", data, 1000, CloudWatchLimits.MaxPayloadBytes);

        Assert.Equal([1000, 1000, 500], batches.Select(b => b.Length));
    }

    [Fact]
    public void Any_data_split_within_the_limits_and_in_order()
    {
        var gen =
            from count in Gen.Int[0, 300]
            from maxCount in Gen.Int[1, 50]
            from maxBytes in Gen.Int[2_000, 60_000]
            from valueLength in Gen.Int[1, 300]
            from dimensionCount in Gen.Int[0, 5]
            select (count, maxCount, maxBytes, valueLength, dimensionCount);

        SeededCheck.ForAll(gen, c =>
        {
            var dimensions = Enumerable.Range(0, c.dimensionCount).Select(i => new MetricDimension($"D{i}", new string('%', c.valueLength))).ToArray();
            var data = Enumerable.Range(0, c.count).Select(i => Datum(i, dimensions)).ToArray();

            var batches = MetricBatches.Split("Name space", data, c.maxCount, c.maxBytes);

            Assert.Equal(data, batches.SelectMany(b => b));
            Assert.All(batches, b =>
            {
                Assert.InRange(b.Length, 1, c.maxCount);
                Assert.True(b.Length == 1 || PutMetricDataForm.Encode("Name space", b).Length <= c.maxBytes);
            });
        });
    }

    private static MetricDatum Datum(int i, MetricDimension[] dimensions) => new($"Metric{i}")
    {
        Dimensions = dimensions,
        Unit = MetricUnit.Count,
        Timestamp = At,
        StatisticValues = new StatisticSet(i + 1, i * 1.5, 0, i),
    };
}
