using System.Collections.Concurrent;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// One shard's processor whose first <see cref="IRecordProcessor.ProcessRecordsAsync"/> call stays inside until
/// <see cref="Release"/> (as a batch still being worked on), then checkpoints its last record with the token it was
/// given. With <c>honoursCancellation</c> the wait ends when that token is cancelled instead.
/// </summary>
internal sealed class HeldBatchProcessor(ProcessingLog log, string worker, bool honoursCancellation = false) : IRecordProcessor, IRecordProcessorFactory
{
    private readonly TaskCompletionSource _entered = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private string _shard = "";

    /// <summary>What the processor did, in order.</summary>
    public ConcurrentQueue<string> Events { get; } = new();

    /// <summary>Whether the first batch's call has begun.</summary>
    public bool InBatch => _entered.Task.IsCompleted;

    public void Release() => _release.TrySetResult();

    public IRecordProcessor CreateProcessor(string shardId) => this;

    public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken)
    {
        _shard = input.ShardId;
        log.Initialized.Enqueue((worker, _shard, input.Checkpoint));
        return ValueTask.CompletedTask;
    }

    public async ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
    {
        Events.Enqueue($"process {input.Records[0].SequenceNumber}-{input.Records[^1].SequenceNumber}");
        _entered.TrySetResult();
        try
        {
            await (honoursCancellation ? _release.Task.WaitAsync(cancellationToken) : _release.Task);
        }
        catch (OperationCanceledException)
        {
            Events.Enqueue("cancelled");
            throw;
        }

        foreach (var record in input.Records)
        {
            log.Records.Enqueue((worker, _shard, record));
        }

        await input.Checkpointer.CheckpointAsync(cancellationToken);
        Events.Enqueue($"checkpointed {input.Records[^1].SequenceNumber}");
    }

    public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken)
    {
        Events.Enqueue("lease lost");
        return ValueTask.CompletedTask;
    }

    public ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken)
    {
        Events.Enqueue("shard ended");
        return ValueTask.CompletedTask;
    }

    public ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken)
    {
        Events.Enqueue("shutdown");
        return ValueTask.CompletedTask;
    }
}
