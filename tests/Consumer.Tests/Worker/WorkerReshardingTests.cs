using System.Globalization;
using System.Text;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>A worker consuming while the stream is split and merged under it.</summary>
[Trait("Category", "Engine")]
public sealed class WorkerReshardingTests : IClassFixture<LocalAwsFixture>
{
    private const int PerKeyAndPhase = 4;
    private readonly LocalAws _aws;
    private readonly ITestOutputHelper _output;

    public WorkerReshardingTests(LocalAwsFixture fixture, ITestOutputHelper output)
    {
        _aws = fixture.Aws;
        _output = output;
    }

    [Fact(Timeout = 120_000)]
    public async Task Records_of_each_partition_key_are_processed_in_put_order_across_a_split_and_a_merge()
    {
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(1, peakShards: 2);
        var original = Assert.Single(await kit.Kinesis.ListAllShardsAsync(kit.Stream, null).WaitAsync(WorkerKit.Deadline));
        var middle = new HashKey(UInt128.MaxValue / 2);

        // Two keys on each side of the split, so both children carry records of their parent's keys.
        var candidates = Enumerable.Range(0, 100).Select(i => $"key{i}").ToList();
        var keys = candidates.Where(k => HashKey.FromPartitionKey(k) < middle).Take(2)
            .Concat(candidates.Where(k => HashKey.FromPartitionKey(k) >= middle).Take(2)).ToList();

        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var worker = new KinesisConsumer(kit.Options("w1"), new RecordingFactory(log, "w1"));
        var run = Task.Run(() => worker.RunAsync(stop.Token));

        var put = new List<(string Key, int Index)>();
        await PutPhaseAsync(kit, keys, put);
        await WorkerKit.WaitUntilAsync(() => !log.Records.IsEmpty, () => "nothing processed before the split");

        await kit.Kinesis.SplitShardAsync(kit.Stream, original.ShardId, middle).WaitAsync(WorkerKit.Deadline);
        await kit.Kinesis.WaitForStreamActiveAsync(kit.Stream, WorkerKit.Deadline).WaitAsync(WorkerKit.Deadline);
        await PutPhaseAsync(kit, keys, put);

        var children = (await kit.Kinesis.ListAllShardsAsync(kit.Stream, null).WaitAsync(WorkerKit.Deadline))
            .Where(s => s.IsOpen).OrderBy(s => s.HashKeyRange.StartingHashKey).ToList();
        Assert.Equal(2, children.Count);
        await kit.Kinesis.MergeShardsAsync(kit.Stream, children[0].ShardId, children[1].ShardId).WaitAsync(WorkerKit.Deadline);
        await kit.Kinesis.WaitForStreamActiveAsync(kit.Stream, WorkerKit.Deadline).WaitAsync(WorkerKit.Deadline);
        await PutPhaseAsync(kit, keys, put);
        var merged = Assert.Single(await kit.Kinesis.ListAllShardsAsync(kit.Stream, null).WaitAsync(WorkerKit.Deadline), s => s.IsOpen);

        await WorkerKit.WaitUntilAsync(
            () => log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count() == put.Count,
            () => $"{log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count()} of {put.Count}; events: {string.Join("; ", log.Events.Select(e => $"{e.Shard} {e.Event}"))}");

        // Finished parents leave the worker's shard list; only the open shard is still being processed.
        await WorkerKit.WaitUntilAsync(
            () => worker.ProcessingShards.SequenceEqual([merged.ShardId]),
            () => "processing " + string.Join(",", worker.ProcessingShards),
            TimeSpan.FromSeconds(10));
        await stop.CancelAsync();
        await run.WaitAsync(WorkerKit.Deadline);
        _output.WriteLine(string.Join(Environment.NewLine, log.Events.Select(e => $"{e.Shard} {e.Event}")));

        foreach (var key in keys)
        {
            var order = log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Where(d => d.StartsWith(key + "|", StringComparison.Ordinal)).ToList();
            Assert.Equal(put.Where(p => p.Key == key).Select(p => $"{p.Key}|{p.Index}"), order);
        }

        var events = log.Events.ToList();
        int First(string shard, string prefix) => events.FindIndex(e => e.Shard == shard && e.Event.StartsWith(prefix, StringComparison.Ordinal));
        foreach (var (parent, child) in children.Select(c => (original.ShardId, c.ShardId)).Concat(children.Select(c => (c.ShardId, merged.ShardId))))
        {
            var ended = First(parent, "shard ended");
            var started = First(child, "initialize");
            Assert.True(ended >= 0 && started > ended, $"{child} started (event {started}) before its parent {parent} ended (event {ended})");
        }
    }

    private static async Task PutPhaseAsync(WorkerKit kit, List<string> keys, List<(string Key, int Index)> put)
    {
        for (var i = 0; i < PerKeyAndPhase; i++)
        {
            foreach (var key in keys)
            {
                // One at a time: each put returns before the next is sent, so put order is sequence order.
                var index = put.Count(p => p.Key == key);
                await kit.Kinesis.PutRecordAsync(new PutRecordRequest
                {
                    StreamName = kit.Stream,
                    PartitionKey = key,
                    Data = Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{key}|{index}")),
                }).WaitAsync(WorkerKit.Deadline);
                put.Add((key, index));
            }
        }
    }
}
