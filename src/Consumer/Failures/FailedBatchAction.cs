namespace Kinesis.Clients.Consumer;

/// <summary>
/// What the consumer does with a batch the record processor keeps failing on, once
/// <see cref="KinesisConsumerOptions.MaxProcessingRetries"/> retries (and bisection, when on) are spent.
/// </summary>
public enum FailedBatchAction
{
    /// <summary>
    /// The shard stops advancing: the worker keeps its lease and goes on retrying the same records at
    /// <see cref="KinesisConsumerOptions.ProcessingRetryMaxDelay"/> intervals until they succeed, the lease is lost or
    /// the worker shuts down. Logged once, counted in the <c>StalledShards</c> gauge. Nothing is skipped.
    /// </summary>
    StopShard = 0,

    /// <summary>
    /// The records are handed to <see cref="KinesisConsumerOptions.OnBatchSkipped"/>, then the shard goes on after them.
    /// </summary>
    SkipBatch = 1,

    /// <summary>
    /// The records are written to <see cref="KinesisConsumerOptions.DeadLetterStreamName"/> (each in a
    /// <see cref="DeadLetterRecord"/>, under its own partition key), then the shard goes on after them.
    /// </summary>
    DeadLetter = 2,
}
