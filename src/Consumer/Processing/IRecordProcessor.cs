namespace Kinesis.Clients.Consumer;

/// <summary>
/// Processes the records of one shard, with the KCL's lifecycle: <see cref="InitializeAsync"/> once, then
/// <see cref="ProcessRecordsAsync"/> for each batch in order, then exactly one of <see cref="LeaseLostAsync"/>,
/// <see cref="ShardEndedAsync"/> or <see cref="ShutdownRequestedAsync"/>. One instance per shard lease, made
/// by the consumer's factory; its methods are never called concurrently.
/// </summary>
public interface IRecordProcessor
{
    /// <summary>The lease was taken; records follow from <paramref name="input"/>'s checkpoint.</summary>
    ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken);

    /// <summary>
    /// A batch of records, in order; checkpoint through <see cref="ProcessRecordsInput.Checkpointer"/>. After this
    /// method throws, the records it did not checkpoint come again (retries, or halves with
    /// <see cref="KinesisConsumerOptions.BisectBatchOnFailure"/>) until they succeed or
    /// <see cref="KinesisConsumerOptions.FailedBatchAction"/> disposes of them. A graceful shutdown lets a call under way
    /// finish: <paramref name="cancellationToken"/> is cancelled only when the lease is lost or
    /// <see cref="KinesisConsumerOptions.ShutdownTimeout"/> has passed.
    /// </summary>
    ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken);

    /// <summary>Another worker holds the lease now; checkpointing is no longer possible.</summary>
    ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken);

    /// <summary>
    /// The shard was split or merged and every record has been delivered: the processor <b>must</b>
    /// checkpoint (<see cref="ICheckpointer.CheckpointAsync(CancellationToken)"/>), or the children never start.
    /// </summary>
    ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken);

    /// <summary>The worker is shutting down gracefully; the processor may checkpoint before its lease is released.</summary>
    ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken);
}
