using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>Workers that die without shutting down: the survivors resume from the last checkpoints.</summary>
[Trait("Category", "Engine")]
public sealed class WorkerCrashTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;
    private readonly ITestOutputHelper _output;

    public WorkerCrashTests(LocalAwsFixture fixture, ITestOutputHelper output)
    {
        _aws = fixture.Aws;
        _output = output;
    }

    [Fact(Timeout = 120_000)]
    public async Task A_killed_worker_process_loses_its_shards_to_the_survivor_which_resumes_from_its_checkpoints()
    {
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(4);
        var put = new ConcurrentQueue<string>((await kit.PutPlainAsync("early", 40)).AsEnumerable());
        using var dynamo = _aws.CreateDynamoDbClient();
        var store = kit.LeaseStore(dynamo);

        using var dump = DumpProcess.Start(kit, "dump");
        await WorkerKit.WaitUntilAsync(() => !dump.Records.IsEmpty || dump.HasExited, () => "the dump printed nothing: " + dump.Errors);
        Assert.False(dump.HasExited, dump.Errors);

        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var survivor = new KinesisConsumer(kit.Options("survivor"), new RecordingFactory(log, "survivor"));
        var run = Task.Run(() => survivor.RunAsync(stop.Token));
        await WorkerKit.WaitUntilAsync(
            async () => (await store.ListAsync()).Count(l => l.LeaseOwner == "dump") == 2 && survivor.ProcessingShards.Count == 2,
            () => $"survivor holds {survivor.ProcessingShards.Count}");

        // Records keep flowing while the dump is killed.
        using var stopPutting = new CancellationTokenSource();
        var putting = Task.Run(async () =>
        {
            for (var batch = 0; !stopPutting.IsCancellationRequested; batch++)
            {
                foreach (var d in await kit.PutPlainAsync($"live{batch}.", 4))
                {
                    put.Enqueue(d);
                }

                await Task.Delay(100);
            }
        });
        var printedBeforeKill = dump.Records.Count;
        await WorkerKit.WaitUntilAsync(() => dump.Records.Count > printedBeforeKill + 8, () => "no live records reached the dump");

        var dumpShards = (await store.ListAsync()).Where(l => l.LeaseOwner == "dump").Select(l => l.LeaseKey).ToList();
        Assert.NotEmpty(dumpShards);
        // While the dump lives, its leases are renewed: the survivor starts none of its shards.
        var startedBeforeKill = log.Initialized.Count(i => i.Worker == "survivor" && dumpShards.Contains(i.Shard));
        var clock = Stopwatch.StartNew();
        dump.Kill();
        // Holding a lease comes before its processor starts: wait for both.
        await WorkerKit.WaitUntilAsync(
            () => survivor.ProcessingShards.Count == 4 && dumpShards.All(shard => log.Initialized.Any(i => i.Worker == "survivor" && i.Shard == shard)),
            () => $"survivor holds {string.Join(",", survivor.ProcessingShards)}");
        // Printed, not asserted: the takeover time is measured by benchmarks/Consumer.Load (takeover: "killed worker: all shards after").
        _output.WriteLine($"takeover after kill -9 of {dumpShards.Count} shards: {clock.Elapsed.TotalMilliseconds:F0} ms (failover {WorkerKit.Failover.TotalMilliseconds:F0} ms)");

        await stopPutting.CancelAsync();
        await putting.WaitAsync(WorkerKit.Deadline);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        await WorkerKit.WaitUntilAsync(
            () =>
            {
                seen.UnionWith(dump.Records.Select(r => r.Data));
                seen.UnionWith(log.Records.Select(r => WorkerKit.Text(r.Record)));
                return put.All(seen.Contains);
            },
            () => $"missing {string.Join(",", put.Where(p => !seen.Contains(p)).Take(10))}");
        await stop.CancelAsync();
        await run.WaitAsync(WorkerKit.Deadline);

        Assert.Equal(0, startedBeforeKill);
        foreach (var shard in dumpShards)
        {
            // Taken once, after the dump died, and never lost again.
            Assert.Single(log.Initialized, i => i.Worker == "survivor" && i.Shard == shard);
            // The survivor started each of the dump's shards from a checkpoint the dump wrote after printing that record.
            var start = log.Initialized.Last(i => i.Shard == shard && i.Worker == "survivor").Checkpoint;
            var printed = dump.Records.Where(r => r.Shard == shard).Select(r => r.Sequence).ToHashSet(StringComparer.Ordinal);
            Assert.Contains(start.SequenceNumber, printed);
            Assert.All(
                log.Records.Where(r => r.Shard == shard && r.Worker == "survivor"),
                r => Assert.True(new ExtendedSequenceNumber(r.Record.SequenceNumber, r.Record.SubSequenceNumber) > start, $"{r.Record} is at or before the checkpoint {start}"));
        }
    }

    [Fact(Timeout = 90_000)]
    public async Task A_new_worker_resumes_inside_an_aggregate_after_the_sub_record_checkpointed()
    {
        const int CheckpointedSubRecord = 4;
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(1);
        using (var builder = new AggregateBuilder())
        {
            for (var s = 0; s < 10; s++)
            {
                Assert.True(builder.TryAdd($"key{s}", null, Encoding.UTF8.GetBytes($"agg.{s}")));
            }

            await kit.Kinesis.PutRecordsAsync(kit.Stream, [new PutRecordsEntry(builder.KinesisPartitionKey, builder.ToKinesisData(), builder.KinesisExplicitHashKey)]).WaitAsync(WorkerKit.Deadline);
        }

        await kit.PutPlainAsync("after", 3);

        var stuck = new CheckpointThenHangProcessor(CheckpointedSubRecord);
        using (var stopFirst = new CancellationTokenSource())
        {
            var first = new KinesisConsumer(kit.Options("first"), new OneProcessorFactory(stuck));
            var firstRun = Task.Run(() => first.RunAsync(stopFirst.Token));
            await stuck.Checkpointed.Task.WaitAsync(WorkerKit.Deadline);

            // The first worker goes away mid-batch: its processor never returns, never checkpoints again.
            await stopFirst.CancelAsync();
            await firstRun.WaitAsync(WorkerKit.Deadline);
        }

        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var second = new KinesisConsumer(kit.Options("second"), new RecordingFactory(log, "second"));
        var run = Task.Run(() => second.RunAsync(stop.Token));
        var expected = Enumerable.Range(CheckpointedSubRecord + 1, 10 - CheckpointedSubRecord - 1).Select(s => $"agg.{s}").Concat(["after0", "after1", "after2"]).ToList();
        await WorkerKit.WaitUntilAsync(() => log.Records.Count >= expected.Count, () => $"{log.Records.Count} of {expected.Count}");
        await stop.CancelAsync();
        await run.WaitAsync(WorkerKit.Deadline);
        stuck.Release();

        Assert.Equal(expected, log.Records.Select(r => WorkerKit.Text(r.Record)));
        var resumed = Assert.Single(log.Initialized);
        Assert.Equal(CheckpointedSubRecord, resumed.Checkpoint.SubSequenceNumber);
    }

    /// <summary>Checkpoints one sub-record of the first aggregate it sees, then hangs like a wedged process.</summary>
    private sealed class CheckpointThenHangProcessor(int subRecord) : IRecordProcessor
    {
        private readonly TaskCompletionSource _hang = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Checkpointed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Release() => _hang.TrySetResult();

        public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public async ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
        {
            var target = input.Records.FirstOrDefault(r => r.IsAggregated && r.SubSequenceNumber == subRecord);
            if (target is null)
            {
                return;
            }

            await input.Checkpointer.CheckpointAsync(target, cancellationToken);
            Checkpointed.TrySetResult();
            await _hang.Task;
        }

        public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class OneProcessorFactory(IRecordProcessor processor) : IRecordProcessorFactory
    {
        public IRecordProcessor CreateProcessor(string shardId) => processor;
    }
}
