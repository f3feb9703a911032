using System.Collections.Concurrent;
using System.Text;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>Splitting and merging shards while the producer is sending loses nothing and misroutes nothing it reports.</summary>
[Trait("Category", "Engine")]
public sealed class ReshardingTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public ReshardingTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Split_and_merge_while_producing_lose_nothing_and_every_result_is_in_its_shards_range()
    {
        using var client = Client(_aws);
        // Split, then merge: three shards open at the peak.
        await using var stream = await NewStreamAsync(client, 2, peakShards: 3);
        var options = Options(_aws);
        options.RecordMaxBufferedTime = TimeSpan.FromMilliseconds(50);
        var failures = CollectFailures(options);

        var results = new ConcurrentDictionary<int, PutResult>();
        var keys = new ConcurrentDictionary<int, string>();
        await using (var producer = new KinesisProducer(options))
        {
            using var stop = new CancellationTokenSource();
            var next = -1;
            var writers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
            {
                var pending = new List<Task>();
                while (!stop.IsCancellationRequested)
                {
                    var i = Interlocked.Increment(ref next);
                    var key = $"k{i % 1013}";
                    keys[i] = key;
                    pending.Add(producer.PutAsync(stream, key, Encoding.UTF8.GetBytes($"r{i}")).ContinueWith(
                        t => results[i] = t.Result, TaskScheduler.Default));
                    if (pending.Count >= 200)
                    {
                        await Task.WhenAll(pending);
                        pending.Clear();
                    }
                }

                await Task.WhenAll(pending);
            })).ToArray();

            await Task.Delay(700);
            var shards = (await client.ListAllShardsAsync(stream)).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();
            var first = shards[0];
            var middle = new HashKey(first.HashKeyRange.StartingHashKey.Value + ((first.HashKeyRange.EndingHashKey.Value - first.HashKeyRange.StartingHashKey.Value) / 2));
            await client.SplitShardAsync(stream, first.ShardId, middle).WaitAsync(Deadline);
            await client.WaitForStreamActiveAsync(stream, Deadline).WaitAsync(Deadline);
            await Task.Delay(700);

            // Merge the upper child of the split with the untouched second shard.
            var open = (await client.ListAllShardsAsync(stream, new ShardFilter(ShardFilterType.AtLatest))).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();
            await client.MergeShardsAsync(stream, open[1].ShardId, open[2].ShardId).WaitAsync(Deadline);
            await client.WaitForStreamActiveAsync(stream, Deadline).WaitAsync(Deadline);
            await Task.Delay(700);

            await stop.CancelAsync();
            await Task.WhenAll(writers).WaitAsync(Deadline);
        }

        Assert.Empty(failures);
        Assert.True(results.Count > 500, $"only {results.Count} records were produced");
        var read = await ReadAllAsync(client, stream);
        var at = read.ToLookup(r => (r.SequenceNumber, (int)r.User.SubSequenceNumber));
        foreach (var (i, result) in results)
        {
            var hash = HashKey.FromPartitionKey(keys[i]);
            var copy = Assert.Single(at[(result.SequenceNumber, result.SubSequenceNumber)]);
            Assert.Equal(result.ShardId, copy.Shard.ShardId);
            Assert.Equal($"r{i}", Encoding.UTF8.GetString(copy.User.Data.Span));
            Assert.True(copy.Shard.Contains(hash), $"record {i} was acknowledged on {result.ShardId}, whose range excludes its hash key");
        }

        // Every record read is one that was put; any copy outside its shard's range was also re-sent to the right one.
        var acknowledged = results.Select(r => (r.Value.SequenceNumber, (long)r.Value.SubSequenceNumber)).ToHashSet();
        foreach (var copy in read.Where(r => !r.Shard.Contains(HashKey.FromPartitionKey(r.User.PartitionKey))))
        {
            Assert.DoesNotContain((copy.SequenceNumber, copy.User.SubSequenceNumber), acknowledged);
        }
    }
}
