using System.Text;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using static Kinesis.Clients.Producer.Tests.ProducerEngine;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>
/// Runs put while a shard splits: those sealed into an aggregate for the parent are taken out of it (their data
/// decoded back from the aggregate) and sent again to the children, whole, in place, and reported once.
/// </summary>
[Trait("Category", "Engine")]
public sealed class RunReshardingTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public RunReshardingTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Runs_put_across_a_split_arrive_whole_on_the_shard_reported_and_inside_its_range()
    {
        using var client = Client(_aws);
        await using var stream = await NewStreamAsync(client, 1, peakShards: 2);
        var options = Options(_aws);
        options.RecordMaxBufferedTime = TimeSpan.FromMilliseconds(50);
        var failures = CollectFailures(options);
        var observer = new RecordingObserver();
        var runs = new Dictionary<long, (string Key, string[] Records)>();
        await using (var producer = new KinesisProducer(options))
        {
            Task? split = null;
            long? splitAt = null;

            // Runs keep coming until 200 after the split is done, so some are sealed for the parent and sent after it closed.
            for (var token = 0L; (splitAt is null && token < 50_000) || token < splitAt + 200; token++)
            {
                if (split is { IsCompleted: true } && splitAt is null)
                {
                    await split;
                    splitAt = token;
                }

                var key = $"k{token % 97}";
                var records = Enumerable.Range(0, 2 + (int)(token % 30)).Select(i => $"#r{token}|{i}|{new string('x', (int)(token * 7 % 120))}").ToArray();
                runs.Add(token, (key, records));
                var data = Encoding.UTF8.GetBytes(string.Concat(records));
                int[] lengths = [.. records.Select(r => Encoding.UTF8.GetByteCount(r))];
                await producer.EnqueueRunAsync(stream, key, data, lengths, observer, token).AsTask().WaitAsync(Deadline);
                if (token == 200)
                {
                    split = SplitAsync(client, stream);
                }

                if (token % 50 == 0)
                {
                    await Task.Delay(20);
                }
            }

            Assert.True(splitAt is not null, "The split did not finish while 50,000 runs were put.");
            await producer.FlushAsync().WaitAsync(Deadline);
        }

        Assert.Empty(failures);
        Assert.Empty(observer.Failed);
        Assert.Equal(0, observer.Duplicates);
        Assert.Equal(runs.Count, observer.Succeeded.Count);
        var read = await ReadAllAsync(client, stream);
        var byRecord = read.ToLookup(r => (r.Shard.ShardId, r.SequenceNumber));
        foreach (var (token, (key, records)) in runs)
        {
            var (shard, sequence) = observer.Succeeded[token];
            var inRecord = byRecord[(shard, sequence)].ToList();
            var start = inRecord.FindIndex(r => Encoding.UTF8.GetString(r.User.Data.Span) == records[0]);
            Assert.True(start >= 0 && start + records.Length <= inRecord.Count, $"run {token} is not whole in {sequence} on {shard}");
            Assert.Equal(records, inRecord.Skip(start).Take(records.Length).Select(r => Encoding.UTF8.GetString(r.User.Data.Span)));
            Assert.True(inRecord[start].Shard.Contains(HashKey.FromPartitionKey(key)), $"run {token} was acknowledged on {shard}, whose range excludes its key");
        }
    }

    private static async Task SplitAsync(KinesisClient client, string stream)
    {
        var shard = Assert.Single(await client.ListAllShardsAsync(stream));
        var range = shard.HashKeyRange;
        var middle = new HashKey(range.StartingHashKey.Value + ((range.EndingHashKey.Value - range.StartingHashKey.Value) / 2));
        await client.SplitShardAsync(stream, shard.ShardId, middle).WaitAsync(Deadline);
        await client.WaitForStreamActiveAsync(stream, Deadline).WaitAsync(Deadline);
    }
}
