using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>
/// Through the limits proxy: a throttled shard's retries leave the connections to the other shards, and an aggregate
/// built on a stale map is re-split.
/// </summary>
[Trait("Category", "Engine")]
public sealed class RetryIsolationTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;
    private readonly ITestOutputHelper _output;

    public RetryIsolationTests(LocalAwsFixture fixture, ITestOutputHelper output)
    {
        _aws = fixture.Aws;
        _output = output;
    }

    [Fact]
    public async Task A_throttled_shard_backing_off_does_not_hold_the_connections_the_other_shard_needs()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 2);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        var shards = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();
        var (hot, cold) = (shards[0], shards[1]);
        proxy.Faults.ThrottledShards = [hot.ShardId];

        // Two connections at the default RateLimit (150); unaggregated, so the hot shard fills two whole requests.
        var options = Options(_aws, proxy.Endpoint);
        options.MaxConnections = 2;
        options.AggregationEnabled = false;
        options.RecordTtl = TimeSpan.FromSeconds(20);
        options.ShutdownTimeout = TimeSpan.FromSeconds(1);
        var failures = CollectFailures(options);
        var payload = new byte[100];

        await using var producer = new KinesisProducer(options);
        var hotPuts = Enumerable.Range(0, 1000)
            .Select(i => producer.PutAsync(stream, $"h{i}", payload, hot.HashKeyRange.StartingHashKey.ToString()))
            .ToList();

        // Both requests have been throttled: their records now wait out their backoff.
        using (var deadline = new CancellationTokenSource(Deadline))
        {
            while (proxy.Stats.ThrottledPutRecordsEntries < 1000)
            {
                await Task.Delay(10, deadline.Token);
            }
        }

        var coldPuts = Enumerable.Range(0, 20)
            .Select(i => producer.PutAsync(stream, $"c{i}", payload, cold.HashKeyRange.EndingHashKey.ToString()))
            .ToList();
        var coldResults = await Task.WhenAll(coldPuts).WaitAsync(Deadline);

        // The cold shard's records were acknowledged while every hot record was still being retried.
        var hotDone = hotPuts.Count(t => t.IsCompleted);
        _output.WriteLine($"hot records done when the cold ones were: {hotDone}; throttled entries {proxy.Stats.ThrottledPutRecordsEntries}");
        Assert.Equal(0, hotDone);
        Assert.All(coldResults, r => Assert.Equal(cold.ShardId, r.ShardId));
        Assert.Empty(failures);

        await producer.DisposeAsync();
        Assert.All(hotPuts, t => Assert.True(t.IsFaulted));
        Assert.Equal(1000, failures.Count);
        var traffic = proxy.Stats.Shards.ToDictionary(s => s.ShardId);
        Assert.Equal(0, traffic[hot.ShardId].AcceptedRecords);
        Assert.Equal(20, traffic[cold.ShardId].AcceptedRecords);
    }

    [Fact]
    public async Task An_aggregate_built_on_a_map_gone_stale_is_re_split_and_its_misplaced_records_counted()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1, peakShards: 2);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        var options = QuickRetries(_aws, proxy);
        var failures = CollectFailures(options);
        var misplaced = 0L;
        using var listener = ListenForMisplaced(stream, n => Interlocked.Add(ref misplaced, n));

        // Every PutRecords fails until the split is done, so the aggregates built for the one shard are sent after it.
        proxy.Faults.FailNext(100_000, 500, "PutRecords");
        var results = new List<Task<PutResult>>();
        await using (var producer = new KinesisProducer(options))
        {
            for (var i = 0; i < 200; i++)
            {
                results.Add(producer.PutAsync(stream, $"key-{i}", Encoding.UTF8.GetBytes($"r{i}")));
            }

            await SplitOnceSendingFailsAsync(client, stream, proxy);
            await Task.WhenAll(results).WaitAsync(Deadline);
        }

        Assert.Empty(failures);
        _output.WriteLine($"misplaced user records: {Interlocked.Read(ref misplaced)}");
        Assert.True(Interlocked.Read(ref misplaced) > 0, "the aggregate should have landed with records of the other child shard in it");
        var shards = (await client.ListAllShardsAsync(stream).WaitAsync(Deadline)).ToDictionary(s => s.ShardId);
        for (var i = 0; i < results.Count; i++)
        {
            var result = await results[i];
            Assert.True(shards[result.ShardId].Contains(HashKey.FromPartitionKey($"key-{i}")), $"record {i} was acknowledged on {result.ShardId}, whose range excludes its hash key");
        }
    }

    [Fact]
    public async Task Records_nobody_watches_in_an_aggregate_gone_stale_each_arrive_once_on_the_shard_owning_their_key()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1, peakShards: 2);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        var options = QuickRetries(_aws, proxy);
        var failures = CollectFailures(options);
        var misplaced = 0L;
        using var listener = ListenForMisplaced(stream, n => Interlocked.Add(ref misplaced, n));

        // As above, with EnqueueAsync: the aggregates keep these records only as counts until they must be re-split.
        proxy.Faults.FailNext(100_000, 500, "PutRecords");
        await using (var producer = new KinesisProducer(options))
        {
            for (var i = 0; i < 200; i++)
            {
                await producer.EnqueueAsync(stream, $"key-{i}", Encoding.UTF8.GetBytes($"r{i}"));
            }

            await SplitOnceSendingFailsAsync(client, stream, proxy);
            await producer.FlushAsync().WaitAsync(Deadline);
            Assert.Equal(0, producer.OutstandingRecords);
        }

        Assert.Empty(failures);
        _output.WriteLine($"misplaced user records: {Interlocked.Read(ref misplaced)}");
        Assert.True(Interlocked.Read(ref misplaced) > 0, "the aggregate should have landed with records of the other child shard in it");

        // The misplaced sub-records also stay where the stale aggregate landed; readers of a shard skip sub-records
        // outside its range (as the KCL does), so what counts is each record once on the shard owning its key.
        var read = await ReadAllAsync(client, stream);
        var owned = read.Where(r => r.Shard.Contains(HashKey.FromPartitionKey(r.User.PartitionKey))).ToList();
        Assert.Equal(Enumerable.Range(0, 200).Select(i => $"key-{i}").Order(), owned.Select(r => r.User.PartitionKey).Order());
        Assert.All(owned, r => Assert.Equal($"r{r.User.PartitionKey[4..]}", Encoding.UTF8.GetString(r.User.Data.Span)));
        Assert.Equal(200 + Interlocked.Read(ref misplaced), read.Count);
    }

    private static KinesisProducerOptions QuickRetries(LocalAws aws, KinesisLimitsProxy proxy)
    {
        var options = Options(aws, proxy.Endpoint);
        options.RetryBaseDelay = TimeSpan.FromMilliseconds(50);
        options.RetryMaxDelay = TimeSpan.FromMilliseconds(200);
        return options;
    }

    // Once the producer's first PutRecords has failed (its aggregates were built for the one shard), splits the
    // shard and lets requests through again: the aggregates are then sent to a stream whose map has changed.
    private static async Task SplitOnceSendingFailsAsync(KinesisClient client, string stream, KinesisLimitsProxy proxy)
    {
        using (var deadline = new CancellationTokenSource(Deadline))
        {
            while (proxy.Stats.InjectedFailures == 0)
            {
                await Task.Delay(10, deadline.Token);
            }
        }

        var parent = Assert.Single(await client.ListAllShardsAsync(stream).WaitAsync(Deadline));
        var middle = new HashKey(parent.HashKeyRange.StartingHashKey.Value + ((parent.HashKeyRange.EndingHashKey.Value - parent.HashKeyRange.StartingHashKey.Value) / 2));
        await client.SplitShardAsync(stream, parent.ShardId, middle).WaitAsync(Deadline);
        await client.WaitForStreamActiveAsync(stream, Deadline).WaitAsync(Deadline);
        proxy.Faults.Clear();
    }

    private static MeterListener ListenForMisplaced(string stream, Action<long> add)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "Kinesis.Clients.Producer" && instrument.Name == "UserRecordsMisplaced")
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Value is string s && s == stream)
                {
                    add(value);
                }
            }
        });
        listener.Start();
        return listener;
    }
}
