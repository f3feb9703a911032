using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Tests.Metrics;

/// <summary>The recording table on its own: series keys, retirement, and harvests racing writers.</summary>
public sealed class TrackedMetricTests
{
    private static readonly MetricDefinition Definition = new("M", MetricsLevel.Detailed, MetricUnit.Count) { Dimensions = ["ErrorCode"] };

    [Fact]
    public void Tags_finer_than_the_granularity_do_not_split_series()
    {
        var metric = new TrackedMetric(Definition, MetricsGranularity.Stream, new SeriesBudget(100));

        metric.Record(1, [new("StreamName", "a"), new("ShardId", "s0")]);
        metric.Record(1, [new("StreamName", "a"), new("ShardId", "s1")]);
        metric.Record(1, [new("StreamName", "a"), new("ErrorCode", "X"), new("Other", "ignored")]);

        var harvested = Harvest(metric);
        Assert.Equal(2, harvested.Count);
        Assert.Equal(2, harvested.Single(s => s.Key.Tag0 is null).Statistics.Count);
        Assert.All(harvested, s => Assert.Null(s.Key.Shard));
    }

    [Fact]
    public void An_idle_series_is_retired_and_a_new_one_opens_on_the_next_sample()
    {
        var budget = new SeriesBudget(1);
        var metric = new TrackedMetric(Definition, MetricsGranularity.Shard, budget);
        metric.Record(5, []);

        Assert.Equal(5, Harvest(metric).Single().Statistics.Sum);
        Assert.Empty(Harvest(metric));
        Assert.Equal(0, budget.Live);
        metric.Record(7, []);

        Assert.Equal(7, Harvest(metric).Single().Statistics.Sum);
        Assert.Equal(1, metric.RetiredSeries);
    }

    [Fact(Timeout = 60_000)]
    public async Task Harvests_in_a_tight_loop_against_writers_lose_nothing()
    {
        const int Writers = 4;
        const int PerWriter = 200_000;
        var budget = new SeriesBudget(1000);
        var metric = new TrackedMetric(Definition, MetricsGranularity.Shard, budget);
        using var done = new CancellationTokenSource();
        long harvestedCount = 0;
        double harvestedSum = 0;
        var harvester = Task.Factory.StartNew(
            () =>
            {
                while (!done.IsCancellationRequested)
                {
                    foreach (var (_, statistics) in Harvest(metric))
                    {
                        harvestedCount += statistics.Count;
                        harvestedSum += statistics.Sum;
                    }
                }
            },
            TaskCreationOptions.LongRunning);

        var writers = Enumerable.Range(0, Writers).Select(w => Task.Factory.StartNew(
            () =>
            {
                for (var i = 0; i < PerWriter; i++)
                {
                    // Short bursts per stream, so series go idle and are retired while others still write.
                    metric.Record(w + 1, [new("StreamName", $"s{(i / 64) % 7}")]);
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(50));
        await done.CancelAsync();
        await harvester.WaitAsync(TimeSpan.FromSeconds(10));
        foreach (var (_, statistics) in Harvest(metric))
        {
            harvestedCount += statistics.Count;
            harvestedSum += statistics.Sum;
        }

        Assert.Equal(Writers * PerWriter, harvestedCount);
        Assert.Equal(PerWriter * Enumerable.Range(1, Writers).Sum(), harvestedSum);
        Assert.True(metric.RetiredSeries > 0, "no series was retired, so the race was not exercised");
        Assert.InRange(budget.Live, 0, 7);
    }

    private static List<(SeriesKey Key, SampleStatistics Statistics)> Harvest(TrackedMetric metric)
    {
        var into = new List<(SeriesKey Key, SampleStatistics Statistics)>();
        metric.Harvest(into);
        return into;
    }
}
