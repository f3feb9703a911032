namespace Kinesis.Clients.Consumer.Failures;

/// <summary>What to do after the record processor failed on a batch (or part of one).</summary>
internal enum FailureStep
{
    /// <summary>Give the same records to the processor again after the delay.</summary>
    Retry,

    /// <summary>Split the records in two halves and process each on its own, the first half first.</summary>
    Bisect,

    /// <summary>The shard is stalled: keep the lease and try the same records again after the (capped) delay.</summary>
    Stall,

    /// <summary>Hand the records to the skip callback, then go on after them.</summary>
    Skip,

    /// <summary>Write the records to the dead-letter stream, then go on after them.</summary>
    DeadLetter,

    /// <summary>The lease was lost while processing: stop; the next owner processes the records.</summary>
    Abandon,
}

/// <summary>A step and, for <see cref="FailureStep.Retry"/> and <see cref="FailureStep.Stall"/>, how long to wait first.</summary>
internal readonly record struct FailureDecision(FailureStep Step, TimeSpan Delay = default);

/// <summary>
/// The pure decision after a processor failure: <paramref name="maxRetries"/> retries with exponential backoff from
/// <paramref name="baseDelay"/> capped at <paramref name="maxDelay"/>, then bisection of a batch of more than one
/// record when on, then the user's <see cref="FailedBatchAction"/>. No jitter: a poison record fails on its own
/// shard, so there is no herd of callers to spread out, and a fixed schedule is what an operator can reason about.
/// </summary>
internal sealed class FailurePolicy(FailedBatchAction action, int maxRetries, bool bisect, TimeSpan baseDelay, TimeSpan maxDelay)
{
    public static FailurePolicy From(KinesisConsumerOptions options) => new(
        options.FailedBatchAction, options.MaxProcessingRetries, options.BisectBatchOnFailure, options.ProcessingRetryBaseDelay, options.ProcessingRetryMaxDelay);

    /// <summary>Decides after the <paramref name="failedAttempts"/>-th failed attempt (from 1) on <paramref name="records"/> records.</summary>
    public FailureDecision Decide(int failedAttempts, int records, Exception error)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(failedAttempts, 1);
        if (error is LeaseLostException)
        {
            return new FailureDecision(FailureStep.Abandon);
        }

        if (failedAttempts <= maxRetries)
        {
            return new FailureDecision(FailureStep.Retry, DelayAfter(failedAttempts));
        }

        if (bisect && records > 1)
        {
            return new FailureDecision(FailureStep.Bisect);
        }

        return action switch
        {
            FailedBatchAction.SkipBatch => new FailureDecision(FailureStep.Skip),
            FailedBatchAction.DeadLetter => new FailureDecision(FailureStep.DeadLetter),
            _ => new FailureDecision(FailureStep.Stall, DelayAfter(failedAttempts)),
        };
    }

    /// <summary>base × 2^(n-1), at most the cap; also the wait after a hand-off that failed.</summary>
    public TimeSpan DelayAfter(int failedAttempts)
    {
        var exponent = Math.Min(failedAttempts - 1, 30);
        var ticks = Math.Min((double)baseDelay.Ticks * Math.Pow(2, exponent), maxDelay.Ticks);
        return TimeSpan.FromTicks((long)ticks);
    }
}
