namespace Kinesis.Clients.Consumer;

/// <summary>What a processor starts from.</summary>
/// <param name="ShardId">The shard.</param>
/// <param name="Checkpoint">The lease's checkpoint: where records resume (a position or TRIM_HORIZON / LATEST / AT_TIMESTAMP).</param>
/// <param name="PendingCheckpoint">A prepared, unfinished two-phase checkpoint, if one was left.</param>
/// <param name="PendingCheckpointState">The application state stored with <paramref name="PendingCheckpoint"/>.</param>
public sealed record InitializationInput(
    string ShardId,
    ExtendedSequenceNumber Checkpoint,
    ExtendedSequenceNumber? PendingCheckpoint,
    byte[]? PendingCheckpointState)
{
    /// <summary>
    /// The shard's stream (the KCL's <c>InitializationInput.streamIdentifier</c>): <c>account:stream:creationEpoch</c>
    /// in multi-stream mode (<see cref="KinesisConsumerOptions.Streams"/>), else the stream's name. Set by the worker;
    /// <see langword="null"/> only in inputs made by hand.
    /// </summary>
    public StreamIdentifier? Stream { get; init; }
}

/// <summary>One batch of records for a processor.</summary>
/// <param name="ShardId">The shard.</param>
/// <param name="Records">The records, in order, de-aggregated.</param>
/// <param name="MillisBehindLatest">How far behind the tip of the shard the batch is.</param>
/// <param name="Checkpointer">Records progress.</param>
public sealed record ProcessRecordsInput(
    string ShardId,
    IReadOnlyList<ConsumerRecord> Records,
    long? MillisBehindLatest,
    ICheckpointer Checkpointer);

/// <summary>The lease was lost to another worker.</summary>
/// <param name="ShardId">The shard.</param>
public sealed record LeaseLostInput(string ShardId);

/// <summary>The shard ended; the processor must checkpoint.</summary>
/// <param name="ShardId">The shard.</param>
/// <param name="Checkpointer">Records the end of the shard.</param>
public sealed record ShardEndedInput(string ShardId, ICheckpointer Checkpointer);

/// <summary>The worker is shutting down; the processor may checkpoint.</summary>
/// <param name="ShardId">The shard.</param>
/// <param name="Checkpointer">Records progress before the lease is released.</param>
public sealed record ShutdownRequestedInput(string ShardId, ICheckpointer Checkpointer);
