using System.Collections.Concurrent;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>A worker paused past its lease: the conditional checkpoint fences it off.</summary>
[Trait("Category", "Engine")]
public sealed class WorkerFencingTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public WorkerFencingTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact(Timeout = 90_000)]
    public async Task A_holder_whose_lease_was_taken_during_a_pause_gets_LeaseLostException_and_the_checkpoint_never_moves_back()
    {
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(1);
        await kit.PutPlainAsync("first", 5);
        using var dynamo = _aws.CreateDynamoDbClient();
        var store = kit.LeaseStore(dynamo);

        var processor = new PausingProcessor();
        using var stop = new CancellationTokenSource();
        var worker = new KinesisConsumer(kit.Options("holder"), new SingleFactory(processor));
        var run = Task.Run(() => worker.RunAsync(stop.Token));

        // The first batch is checkpointed; the second one pauses before its checkpoint.
        await WorkerKit.WaitUntilAsync(() => processor.Checkpoints.Count == 1, () => "first checkpoint");
        await kit.PutPlainAsync("second", 5);
        await processor.Paused.Task.WaitAsync(WorkerKit.Deadline);

        var shard = (await store.ListAsync()).Single();
        var before = shard.Checkpoint;
        Assert.Equal("holder", shard.LeaseOwner);
        var taken = await store.TakeAsync(shard, "intruder");
        Assert.NotNull(taken);

        var watched = new ConcurrentQueue<ExtendedSequenceNumber>();
        using var watching = new CancellationTokenSource();
        var watcher = Task.Run(async () =>
        {
            while (!watching.IsCancellationRequested)
            {
                if (await store.GetAsync(shard.LeaseKey) is { } lease)
                {
                    watched.Enqueue(lease.Checkpoint);
                }

                await Task.Delay(100);
            }
        });

        processor.Resume.SetResult();
        var failure = await processor.CheckpointFailure.Task.WaitAsync(WorkerKit.Deadline);
        Assert.IsType<LeaseLostException>(failure);
        await WorkerKit.WaitUntilAsync(() => processor.Events.Contains("lease lost"), () => string.Join(", ", processor.Events));

        var after = await store.GetAsync(shard.LeaseKey);
        Assert.NotNull(after);
        Assert.Equal(before, after.Checkpoint);

        await stop.CancelAsync();
        await run.WaitAsync(WorkerKit.Deadline);
        await watching.CancelAsync();
        await watcher.WaitAsync(WorkerKit.Deadline);

        var seen = watched.ToList();
        Assert.NotEmpty(seen);
        Assert.All(seen.Zip(seen.Skip(1)), pair => Assert.True(pair.First <= pair.Second, $"checkpoint moved back from {pair.First} to {pair.Second}"));
        Assert.All(seen, c => Assert.True(c >= before, $"checkpoint {c} is behind {before}"));
    }

    [Fact(Timeout = 90_000)]
    public async Task A_lease_taken_back_while_its_old_processor_is_still_paused_is_processed_by_a_new_one_and_the_old_one_is_fenced()
    {
        await using var kit = new WorkerKit(_aws);
        await kit.CreateStreamAsync(1);
        await kit.PutPlainAsync("first", 5);
        using var dynamo = _aws.CreateDynamoDbClient();
        var store = kit.LeaseStore(dynamo);

        var paused = new PausingProcessor();
        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var worker = new KinesisConsumer(kit.Options("holder"), new FirstThenRecordingFactory(paused, log, "holder"));
        var run = Task.Run(() => worker.RunAsync(stop.Token));

        await WorkerKit.WaitUntilAsync(() => paused.Checkpoints.Count == 1, () => "first checkpoint");
        await kit.PutPlainAsync("second", 5);
        await paused.Paused.Task.WaitAsync(WorkerKit.Deadline);
        var shard = (await store.ListAsync()).Single();
        Assert.NotNull(await store.TakeAsync(shard, "intruder"));

        // The intruder never renews: the holder takes the lease back after the failover time, its old processor still paused.
        await WorkerKit.WaitUntilAsync(async () => (await store.GetAsync(shard.LeaseKey))?.LeaseOwner == "holder", () => "the holder did not take the lease back");
        var retaken = await store.GetAsync(shard.LeaseKey);
        paused.Resume.SetResult();
        Assert.IsType<LeaseLostException>(await paused.CheckpointFailure.Task.WaitAsync(WorkerKit.Deadline));

        var third = await kit.PutPlainAsync("third", 5);
        await WorkerKit.WaitUntilAsync(
            () => third.All(t => log.Records.Any(r => WorkerKit.Text(r.Record) == t)),
            () => $"the retaken lease is not processed; worker processes [{string.Join(",", worker.ProcessingShards)}], events: {string.Join("; ", log.Events.Select(e => e.Event))}",
            TimeSpan.FromSeconds(15));
        await stop.CancelAsync();
        await run.WaitAsync(WorkerKit.Deadline);

        Assert.Equal(shard.Checkpoint, retaken!.Checkpoint);
        var restart = Assert.Single(log.Initialized).Checkpoint;
        Assert.Equal(shard.Checkpoint, restart);
        Assert.Equal(1, log.MaxConcurrentPerShard);
    }

    /// <summary>Checkpoints its first batch; pauses in its second until told to go on, then checkpoints.</summary>
    private sealed class PausingProcessor : IRecordProcessor
    {
        private int _batches;

        public ConcurrentQueue<string> Checkpoints { get; } = new();

        public ConcurrentQueue<string> Events { get; } = new();

        public TaskCompletionSource Paused { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Resume { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource<Exception> CheckpointFailure { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken)
        {
            Events.Enqueue("initialize " + input.Checkpoint);
            return ValueTask.CompletedTask;
        }

        public async ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _batches) == 2)
            {
                Paused.SetResult();

                // A long pause (GC, a stalled disk) the worker cannot interrupt.
                await Resume.Task.WaitAsync(WorkerKit.Deadline, CancellationToken.None);
                try
                {
                    await input.Checkpointer.CheckpointAsync(CancellationToken.None);
                }
                catch (Exception ex)
                {
                    CheckpointFailure.TrySetResult(ex);
                    throw;
                }

                CheckpointFailure.TrySetException(new InvalidOperationException("the checkpoint after the pause was written"));
                return;
            }

            await input.Checkpointer.CheckpointAsync(cancellationToken);
            Checkpoints.Enqueue(input.Records[^1].ToString());
        }

        public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken)
        {
            Events.Enqueue("lease lost");
            return ValueTask.CompletedTask;
        }

        public async ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken) =>
            await input.Checkpointer.CheckpointAsync(cancellationToken);

        public ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken)
        {
            Events.Enqueue("shutdown");
            return ValueTask.CompletedTask;
        }
    }

    private sealed class SingleFactory(IRecordProcessor processor) : IRecordProcessorFactory
    {
        public IRecordProcessor CreateProcessor(string shardId) => processor;
    }

    private sealed class FirstThenRecordingFactory(IRecordProcessor first, ProcessingLog log, string worker) : IRecordProcessorFactory
    {
        private int _made;

        public IRecordProcessor CreateProcessor(string shardId) =>
            Interlocked.Increment(ref _made) == 1 ? first : new RecordingProcessor(log, worker);
    }
}
