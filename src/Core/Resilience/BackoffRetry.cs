using System.Diagnostics.CodeAnalysis;
using Polly;
using Polly.Retry;

namespace Kinesis.Clients.Resilience;

/// <summary>
/// Polly pipelines that retry until stopped, with exponential backoff and jitter: how the consumer's shard readers
/// retry AWS calls (throttling, 5xx, no answer). There is no attempt limit; a loop ends
/// when its attempt succeeds, when the retry predicate says no, or when its cancellation token is cancelled.
/// </summary>
/// <remarks>
/// Waits run on the given <see cref="TimeProvider"/>, so a fake clock drives them in tests. The first retry waits
/// about <c>baseDelay</c>; each later wait grows exponentially, up to <c>maxDelay</c>, jittered (Polly's decorrelated
/// jitter) so that many readers throttled at once do not retry in step.
/// </remarks>
public static class BackoffRetry
{
    /// <summary>A pipeline that retries an attempt for as long as it throws an exception <paramref name="shouldRetry"/> accepts.</summary>
    /// <param name="shouldRetry">Whether a failure is worth another attempt, e.g. <c>ex is AwsServiceException { IsRetryable: true }</c>.</param>
    /// <param name="baseDelay">The first delay; positive.</param>
    /// <param name="maxDelay">The longest delay; at least <paramref name="baseDelay"/>.</param>
    /// <param name="timeProvider">The clock the waits run on.</param>
    /// <param name="onRetry">Called before each wait (e.g. to log); must not block.</param>
    /// <exception cref="ArgumentException">A delay is not positive, or <paramref name="maxDelay"/> is below <paramref name="baseDelay"/>.</exception>
    public static ResiliencePipeline ForExceptions(
        Func<Exception, bool> shouldRetry,
        TimeSpan baseDelay,
        TimeSpan maxDelay,
        TimeProvider timeProvider,
        Action<RetryAttempt>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(shouldRetry);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var options = new RetryStrategyOptions { ShouldHandle = new PredicateBuilder().Handle(shouldRetry) };
        Configure(options, baseDelay, maxDelay, onRetry);
        return Build(new ResiliencePipelineBuilder { TimeProvider = timeProvider }, options);
    }

    /// <summary>A pipeline that retries an attempt for as long as it returns a result <paramref name="shouldRetry"/> accepts.</summary>
    /// <param name="shouldRetry">Whether a result asks for another attempt (e.g. "some records are left to send").</param>
    /// <param name="baseDelay">The first delay; positive.</param>
    /// <param name="maxDelay">The longest delay; at least <paramref name="baseDelay"/>.</param>
    /// <param name="timeProvider">The clock the waits run on.</param>
    /// <param name="onRetry">Called before each wait (e.g. to log); must not block.</param>
    /// <exception cref="ArgumentException">A delay is not positive, or <paramref name="maxDelay"/> is below <paramref name="baseDelay"/>.</exception>
    public static ResiliencePipeline<TResult> ForResults<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] TResult>(
        Func<TResult, bool> shouldRetry,
        TimeSpan baseDelay,
        TimeSpan maxDelay,
        TimeProvider timeProvider,
        Action<RetryAttempt>? onRetry = null)
    {
        ArgumentNullException.ThrowIfNull(shouldRetry);
        ArgumentNullException.ThrowIfNull(timeProvider);
        var options = new RetryStrategyOptions<TResult> { ShouldHandle = new PredicateBuilder<TResult>().HandleResult(shouldRetry) };
        Configure(options, baseDelay, maxDelay, onRetry);
        return Build(new ResiliencePipelineBuilder<TResult> { TimeProvider = timeProvider }, options);
    }

    private static void Configure<TResult>(RetryStrategyOptions<TResult> options, TimeSpan baseDelay, TimeSpan maxDelay, Action<RetryAttempt>? onRetry)
    {
        if (baseDelay <= TimeSpan.Zero || baseDelay == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"The base delay must be a positive, finite time; got {baseDelay}.", nameof(baseDelay));
        }

        if (maxDelay < baseDelay || maxDelay == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"The longest delay ({maxDelay}) must be finite and not shorter than the base delay ({baseDelay}).", nameof(maxDelay));
        }

        options.BackoffType = DelayBackoffType.Exponential;
        options.UseJitter = true;
        options.Delay = baseDelay;
        options.MaxDelay = maxDelay;

        // Retried until stopped: the caller's cancellation or predicate ends the loop, never a count.
        options.MaxRetryAttempts = int.MaxValue;
        if (onRetry is not null)
        {
            options.OnRetry = args =>
            {
                onRetry(new RetryAttempt(args.AttemptNumber + 1, args.RetryDelay, args.Outcome.Exception));
                return default;
            };
        }
    }

    // Polly validates the options with DataAnnotations when the strategy is added, through reflection the native AOT
    // compiler cannot prove safe in general (it names Enum.GetValues(Type)). The option types are fixed here, and the
    // natively compiled agent runs this path in its end-to-end tests.
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Fixed option types; the native agent's end-to-end tests run this path.")]
    private static ResiliencePipeline Build(ResiliencePipelineBuilder builder, RetryStrategyOptions options) =>
        builder.AddRetry(options).Build();

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Fixed option types; the native agent's end-to-end tests run this path.")]
    private static ResiliencePipeline<TResult> Build<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.All)] TResult>(ResiliencePipelineBuilder<TResult> builder, RetryStrategyOptions<TResult> options) =>
        builder.AddRetry(options).Build();
}
