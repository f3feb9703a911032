namespace Kinesis.Clients.Consumer;

/// <summary>Records the consumer gave up processing, as <see cref="KinesisConsumerOptions.OnBatchSkipped"/> receives them.</summary>
/// <param name="ShardId">The shard they come from.</param>
/// <param name="Records">The records, in shard order: the failing batch, or with bisection the smallest part that still failed.</param>
/// <param name="Exception">What the processor threw on its last attempt.</param>
/// <param name="Attempts">How many times the processor was given these records.</param>
public sealed record FailedBatch(string ShardId, IReadOnlyList<ConsumerRecord> Records, Exception Exception, int Attempts);
