namespace Kinesis.Clients.Tests.Metrics;

/// <summary>Recording into an existing series allocates nothing.</summary>
public sealed class PublisherRecordingCostTests
{
    [Fact(Timeout = 30_000)]
    public async Task Measurements_of_existing_series_do_not_allocate()
    {
        await using var h = await PublisherHarness.StartAsync();
        var put = h.Meter.CreateCounter<long>("UserRecordsPut");
        var time = h.Meter.CreateHistogram<double>("BufferingTime");
        KeyValuePair<string, object?> stream = new("StreamName", "orders");
        KeyValuePair<string, object?> shard = new("ShardId", "shardId-000000000001");
        for (var i = 0; i < 1000; i++)
        {
            put.Add(1, stream, shard);
            time.Record(i, stream, shard);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100_000; i++)
        {
            put.Add(1, stream, shard);
            time.Record(i, stream, shard);
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // A stripe is allocated the first time the thread runs on another processor; that is all.
        Assert.True(allocated < 4096, $"{allocated} bytes allocated for 200,000 measurements");
        var calls = await h.FlushAndWaitAsync(1);
        Assert.Equal(101_000, calls.Single("UserRecordsPut").StatisticValues!.Value.Sum);
    }
}
