using System.Collections.Concurrent;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Tests.Leases;
using Kinesis.Clients.Consumer.Worker;
using Kinesis.Clients.Records;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// The worker's loop on the in-memory lease store, a scripted stream and a fake clock: lineage, fencing and the
/// graceful hand-back, decided without an engine and without waiting out real time.
/// </summary>
public sealed class InMemoryWorkerTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly HashKeyRange Lower = new(HashKey.MinValue, HashKey.Parse("170141183460469231731687303715884105727"));
    private static readonly HashKeyRange Upper = new(HashKey.Parse("170141183460469231731687303715884105728"), HashKey.MaxValue);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryLeaseStore _store = new();
    private readonly ProcessingLog _log = new();

    [Fact(Timeout = 60_000)]
    public async Task A_child_is_processed_only_after_its_parent_reached_shard_end()
    {
        var shards = new ScriptedShards()
            .Shard("shardId-000000000000", HashKeyRange.Full, closed: true)
            .Shard("shardId-000000000001", Lower, parent: "shardId-000000000000")
            .Shard("shardId-000000000002", Upper, parent: "shardId-000000000000")
            .Records("shardId-000000000000", 3)
            .End("shardId-000000000000",
                new ChildShard("shardId-000000000001", ["shardId-000000000000"], Lower),
                new ChildShard("shardId-000000000002", ["shardId-000000000000"], Upper))
            .Records("shardId-000000000001", 2)
            .Records("shardId-000000000002", 1);

        await using var worker = Start(shards, "w1");
        await AdvanceUntilAsync(() => _log.Records.Count == 6);

        var order = _log.Events.Select(e => $"{e.Shard} {e.Event}").ToList();
        var parentEnded = order.IndexOf("shardId-000000000000 shard ended");
        Assert.True(parentEnded >= 0, string.Join("\n", order));
        foreach (var child in new[] { "shardId-000000000001", "shardId-000000000002" })
        {
            var started = order.FindIndex(e => e.StartsWith(child + " initialize", StringComparison.Ordinal));
            Assert.True(started > parentEnded, $"{child} started before its parent ended:\n{string.Join("\n", order)}");
        }

        // The finished parent's lease is at SHARD_END, or already deleted once both children started.
        var parent = await _store.GetAsync("shardId-000000000000");
        Assert.True(parent is null || parent.Checkpoint.IsShardEnd, parent?.Checkpoint.ToString());
        Assert.Equal(["shardId-000000000001/0", "shardId-000000000001/1"], DataOf("shardId-000000000001"));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_lease_taken_by_another_worker_stops_the_processor_and_fences_its_checkpoints()
    {
        var shards = new ScriptedShards().Shard("shardId-000000000000", HashKeyRange.Full).Records("shardId-000000000000", 2);
        var probe = new FencingProbe();
        await using var worker = Start(shards, "w1", probe);
        await AdvanceUntilAsync(() => probe.Checkpointer is not null);
        var held = await _store.GetAsync("shardId-000000000000");
        Assert.Equal("w1", held?.LeaseOwner);

        // Another worker takes the lease (as after w1's renewals failed): w1 finds out at its next renewal.
        Assert.NotNull(await _store.TakeAsync(held!, "w2"));
        await AdvanceUntilAsync(() => probe.Lost && worker.Running.Count == 0);

        // The processor of the lost tenure cannot write a checkpoint any more, and the new owner's lease is untouched.
        await Assert.ThrowsAsync<LeaseLostException>(() => probe.Checkpointer!.CheckpointAsync());
        var after = await _store.GetAsync("shardId-000000000000");
        Assert.Equal("w2", after?.LeaseOwner);
        Assert.True(after!.Checkpoint.IsSentinel, after.Checkpoint.ToString());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_graceful_shutdown_lets_the_processor_finish_then_releases_the_lease()
    {
        var shards = new ScriptedShards().Shard("shardId-000000000000", HashKeyRange.Full).Records("shardId-000000000000", 4);
        var worker = Start(shards, "w1");
        await AdvanceUntilAsync(() => _log.Records.Count == 4);

        await worker.DisposeAsync();

        Assert.Contains(_log.Events, e => e.Event == "shutdown");
        var lease = await _store.GetAsync("shardId-000000000000");
        Assert.NotNull(lease);
        Assert.Null(lease.LeaseOwner);
        Assert.Equal("1003", lease.Checkpoint.SequenceNumber);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_graceful_shutdown_lets_the_batch_in_flight_finish_and_checkpoint_and_the_next_worker_resumes_after_it()
    {
        const string Shard = "shardId-000000000000";
        var shards = new ScriptedShards().Shard(Shard, HashKeyRange.Full).Records(Shard, 3).Records(Shard, 2);
        var held = new HeldBatchProcessor(_log, "w1");
        var w1 = Start(shards, "w1", held);
        await AdvanceUntilAsync(() => held.InBatch);

        // The stop begins while the processor is inside ProcessRecordsAsync; the batch ends only afterwards.
        await w1.BeginStopAsync();
        await AdvanceUntilAsync(() => w1.Consumers.All(c => c.IsStopping));
        held.Release();
        await w1.DisposeAsync();

        // As the KCL: the batch finishes and its checkpoint is written, then shutdownRequested; no further batch.
        Assert.Equal(["process 1000-1002", "checkpointed 1002", "shutdown"], held.Events.ToArray());
        var lease = await _store.GetAsync(Shard);
        Assert.NotNull(lease);
        Assert.Null(lease.LeaseOwner);
        Assert.Equal(new ExtendedSequenceNumber("1002", 0), lease.Checkpoint);

        await using var w2 = Start(shards, "w2");
        await AdvanceUntilAsync(() => _log.Records.Count(r => r.Worker == "w2") == 2);
        Assert.Equal(new ExtendedSequenceNumber("1002", 0), _log.Initialized.Single(i => i.Worker == "w2").Checkpoint);
        Assert.Equal([$"{Shard}/3", $"{Shard}/4"], _log.Records.Where(r => r.Worker == "w2").Select(r => WorkerKit.Text(r.Record)).ToList());
    }

    [Fact(Timeout = 60_000)]
    public async Task A_batch_still_in_flight_when_the_shutdown_timeout_passes_is_cancelled_and_the_lease_released()
    {
        const string Shard = "shardId-000000000000";
        var shards = new ScriptedShards().Shard(Shard, HashKeyRange.Full).Records(Shard, 3);
        var held = new HeldBatchProcessor(_log, "w1", honoursCancellation: true);
        var w1 = Start(shards, "w1", held);
        await AdvanceUntilAsync(() => held.InBatch);

        // Never released: the ShutdownTimeout (5 s on the fake clock) ends the call, then the shutdown goes on.
        await w1.DisposeAsync();

        Assert.Equal(["process 1000-1002", "cancelled", "shutdown"], held.Events.ToArray());
        var lease = await _store.GetAsync(Shard);
        Assert.NotNull(lease);
        Assert.Null(lease.LeaseOwner);
        Assert.Equal(ExtendedSequenceNumber.TrimHorizon, lease.Checkpoint);
    }

    private List<string> DataOf(string shard) =>
        _log.Records.Where(r => r.Shard == shard).Select(r => System.Text.Encoding.UTF8.GetString(r.Record.Data.Span)).ToList();

    private RunningWorker Start(ScriptedShards shards, string workerId, IRecordProcessorFactory? factory = null)
    {
        var options = new KinesisConsumerOptions
        {
            ApplicationName = "app",
            StreamName = "stream",
            WorkerId = workerId,
            InitialPosition = InitialPosition.TrimHorizon,
            FailoverTime = TimeSpan.FromSeconds(10),
            ShardSyncInterval = TimeSpan.FromSeconds(60),
            ParentShardPollInterval = TimeSpan.FromSeconds(10),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            MetricsLevel = global::Kinesis.Clients.Metrics.MetricsLevel.None,
            TimeProvider = _time,
        };
        var running = new ConcurrentDictionary<string, ShardConsumer>(StringComparer.Ordinal);
        var metrics = new ConsumerMetrics(options.StreamName, options.WorkerId);
        var worker = new ConsumerWorker(
            options, _store, shards.ListAsync, shards.Open, factory ?? new RecordingFactory(_log, workerId), metrics, running, NullLogger.Instance);
        var stop = new CancellationTokenSource();
        return new RunningWorker(worker.RunAsync(stop.Token), stop, metrics, running, this);
    }

    /// <summary>Moves the fake clock on in small steps until <paramref name="done"/> holds, within a real deadline.</summary>
    private async Task AdvanceUntilAsync(Func<bool> done)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!done())
        {
            Assert.False(deadline.IsCancellationRequested, "condition not reached; events:\n" + string.Join("\n", _log.Events));
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1, CancellationToken.None);
        }
    }

    /// <summary>Keeps the checkpointer of the batches it gets without checkpointing, and notes the loss of its lease.</summary>
    private sealed class FencingProbe : IRecordProcessor, IRecordProcessorFactory
    {
        private volatile ICheckpointer? _checkpointer;
        private volatile bool _lost;

        public ICheckpointer? Checkpointer => _checkpointer;

        public bool Lost => _lost;

        public IRecordProcessor CreateProcessor(string shardId) => this;

        public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
        {
            _checkpointer = input.Checkpointer;
            return ValueTask.CompletedTask;
        }

        public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken)
        {
            _lost = true;
            return ValueTask.CompletedTask;
        }

        public ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

        public ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class RunningWorker(
        Task run, CancellationTokenSource stop, ConsumerMetrics metrics, ConcurrentDictionary<string, ShardConsumer> running, InMemoryWorkerTests test)
        : IAsyncDisposable
    {
        public ICollection<string> Running => running.Keys;

        public ICollection<ShardConsumer> Consumers => running.Values;

        public Task BeginStopAsync() => stop.CancelAsync();

        public async ValueTask DisposeAsync()
        {
            if (!run.IsCompleted)
            {
                await stop.CancelAsync();
                // The shutdown waits on the fake clock for processors; keep it moving until the run ends.
                await test.AdvanceUntilAsync(() => run.IsCompleted);
            }

            await run;
            stop.Dispose();
            metrics.Dispose();
        }
    }
}
