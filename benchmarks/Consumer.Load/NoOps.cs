namespace Kinesis.Clients.Consumer.Load;

/// <summary>A processor that does nothing with its records: what is left is the consumer's own cost.</summary>
internal sealed class NoOpProcessor : IRecordProcessor
{
    public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken) => new(input.Checkpointer.CheckpointAsync(cancellationToken));

    public ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

internal sealed class NoOpCheckpointer : ICheckpointer
{
    public Task CheckpointAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task CheckpointAsync(string sequenceNumber, long subSequenceNumber = 0, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task CheckpointAsync(ConsumerRecord record, CancellationToken cancellationToken = default) => Task.CompletedTask;

    public Task PrepareCheckpointAsync(string sequenceNumber, long subSequenceNumber = 0, byte[]? applicationState = null, CancellationToken cancellationToken = default) => Task.CompletedTask;
}
