using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Tests.Metrics;

/// <summary>Recording from many threads, with uploads racing it, loses and duplicates nothing.</summary>
public sealed class PublisherConcurrencyTests
{
    private const int Threads = 8;
    private const int PerThread = 50_000;

    [Fact(Timeout = 60_000)]
    public async Task Many_threads_give_exact_totals_at_every_level()
    {
        await using var h = await PublisherHarness.StartAsync();
        var put = h.Meter.CreateCounter<long>("UserRecordsPut");
        var buffering = h.Meter.CreateHistogram<double>("BufferingTime");
        using var start = new Barrier(Threads);

        var writers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                KeyValuePair<string, object?> stream = new("StreamName", $"s{t % 2}");
                KeyValuePair<string, object?> shard = new("ShardId", $"shard-{t % 4}");
                start.SignalAndWait();
                for (var i = 0; i < PerThread; i++)
                {
                    put.Add(1, stream, shard);
                    buffering.Record(t, stream, shard);
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(writers).WaitAsync(TimeSpan.FromSeconds(50));

        var calls = await h.FlushAndWaitAsync(1);

        Assert.Equal(new(Threads * PerThread, Threads * PerThread, 1, 1), calls.Single("UserRecordsPut").StatisticValues);
        Assert.Equal(new(Threads * PerThread / 2, Threads * PerThread / 2, 1, 1), calls.Single("UserRecordsPut", ("StreamName", "s1")).StatisticValues);
        Assert.Equal(new(Threads * PerThread / 4, Threads * PerThread / 4, 1, 1),
            calls.Single("UserRecordsPut", ("StreamName", "s0"), ("ShardId", "shard-2")).StatisticValues);
        var time = calls.Single("BufferingTime").StatisticValues!.Value;
        Assert.Equal(Threads * PerThread, time.SampleCount);
        Assert.Equal(Enumerable.Range(0, Threads).Sum() * (double)PerThread, time.Sum);
        Assert.Equal(0, time.Minimum);
        Assert.Equal(Threads - 1, time.Maximum);
    }

    [Fact(Timeout = 60_000)]
    public async Task Uploads_racing_the_writers_count_every_sample_once()
    {
        await using var h = await PublisherHarness.StartAsync(o => o.Granularity = MetricsGranularity.Stream);
        var put = h.Meter.CreateCounter<long>("UserRecordsPut");
        using var start = new Barrier(Threads + 1);

        // Writers move through streams as they go, so series keep going idle, being retired and coming back
        // while uploads harvest them.
        var writers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(
            () =>
            {
                start.SignalAndWait();
                for (var i = 0; i < PerThread; i++)
                {
                    put.Add(1, new KeyValuePair<string, object?>("StreamName", $"s{(i / 997) % 5}"));
                }
            },
            TaskCreationOptions.LongRunning)).ToArray();
        start.SignalAndWait();
        var flushes = 0;
        while (!writers.All(w => w.IsCompleted))
        {
            await h.Publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);
            flushes++;
        }

        await Task.WhenAll(writers);
        await h.Publisher.FlushAsync().WaitAsync(PublisherHarness.WaitTimeout);

        var overall = h.Server.Calls.Named("UserRecordsPut").Where(d => d.Dimensions.Count == 0).ToList();
        var perStream = h.Server.Calls.Named("UserRecordsPut").Where(d => d.Dimensions.Count == 1).ToList();
        Assert.Equal(Threads * PerThread, overall.Sum(d => d.StatisticValues!.Value.SampleCount));
        Assert.Equal(Threads * PerThread, perStream.Sum(d => d.StatisticValues!.Value.Sum));
        Assert.True(flushes > 0);
        Assert.Empty(h.Log.WithId(1105));
    }
}
