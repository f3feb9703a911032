namespace Kinesis.Clients.Consumer;

/// <summary>What happens when the record processor throws (the KCL logs the exception and goes on to the next batch).</summary>
public sealed partial class KinesisConsumerOptions
{
    /// <summary>
    /// How many times a batch the processor threw on is given to it again, with backoff, before
    /// <see cref="BisectBatchOnFailure"/> and <see cref="FailedBatchAction"/> apply (0 to 10,000). <value>Default: 3.</value>
    /// </summary>
    public int MaxProcessingRetries { get; set; } = 3;

    /// <summary>The wait before the first retry; each later wait doubles. <value>Default: 1 s.</value></summary>
    public TimeSpan ProcessingRetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The longest wait between retries, also the retry interval of a stalled shard (<see cref="FailedBatchAction.StopShard"/>).
    /// <value>Default: 60 s.</value>
    /// </summary>
    public TimeSpan ProcessingRetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// What to do with a batch once its retries are spent. <value>Default: <see cref="FailedBatchAction.StopShard"/>:
    /// the shard waits for the records to succeed; nothing is skipped unless you choose so.</value>
    /// </summary>
    public FailedBatchAction FailedBatchAction { get; set; } = FailedBatchAction.StopShard;

    /// <summary>
    /// Whether a batch of more than one record whose retries are spent is split in two and each half processed (and
    /// retried, and split) on its own, as Lambda's <c>BisectBatchOnFunctionError</c>, so that
    /// <see cref="FailedBatchAction"/> applies to the failing records alone. The halves re-deliver records the processor
    /// may have partly handled before it threw: processing stays at-least-once. <value>Default: <see langword="false"/>.</value>
    /// </summary>
    public bool BisectBatchOnFailure { get; set; }

    /// <summary>
    /// Receives the records skipped with <see cref="FailedBatchAction.SkipBatch"/> (required then). It runs on the shard's
    /// processing task, never on a reader or lease loop; the shard goes on once it returns. If it throws, the records
    /// are not skipped: the shard retries them as a stalled shard. <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public Func<FailedBatch, CancellationToken, ValueTask>? OnBatchSkipped { get; set; }

    /// <summary>
    /// The stream <see cref="FailedBatchAction.DeadLetter"/> writes failed records to, through the consumer's Kinesis
    /// client (same account and region); required then, and not the consumed stream. <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public string? DeadLetterStreamName { get; set; }

    private void ValidateFailureHandling()
    {
        if (MaxProcessingRetries is < 0 or > 10_000)
        {
            throw new ArgumentException($"MaxProcessingRetries must be 0 to 10,000; got {MaxProcessingRetries}.", nameof(MaxProcessingRetries));
        }

        Positive(ProcessingRetryBaseDelay, nameof(ProcessingRetryBaseDelay));
        Positive(ProcessingRetryMaxDelay, nameof(ProcessingRetryMaxDelay));
        if (ProcessingRetryMaxDelay < ProcessingRetryBaseDelay)
        {
            throw new ArgumentException(
                $"ProcessingRetryMaxDelay ({ProcessingRetryMaxDelay}) must not be shorter than ProcessingRetryBaseDelay ({ProcessingRetryBaseDelay}).",
                nameof(ProcessingRetryMaxDelay));
        }

        switch (FailedBatchAction)
        {
            case FailedBatchAction.StopShard:
                break;
            case FailedBatchAction.SkipBatch when OnBatchSkipped is null:
                throw new ArgumentException("FailedBatchAction SkipBatch needs OnBatchSkipped, so that no skipped record goes unnoticed.", nameof(OnBatchSkipped));
            case FailedBatchAction.SkipBatch:
                break;
            case FailedBatchAction.DeadLetter:
                if (DeadLetterStreamName is null)
                {
                    throw new ArgumentException("FailedBatchAction DeadLetter needs DeadLetterStreamName.", nameof(DeadLetterStreamName));
                }

                Kinesis.Clients.Records.RecordValidation.ValidateStreamName(DeadLetterStreamName, nameof(DeadLetterStreamName));
                if (DeadLetterStreamName == StreamLabel)
                {
                    throw new ArgumentException(
                        $"DeadLetterStreamName must not be the consumed stream '{StreamLabel}': failed records would be read again.", nameof(DeadLetterStreamName));
                }

                break;
            default:
                throw new ArgumentException($"FailedBatchAction must be StopShard, SkipBatch or DeadLetter; got {(int)FailedBatchAction}.", nameof(FailedBatchAction));
        }
    }
}
