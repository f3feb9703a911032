namespace Kinesis.Clients.Resilience;

/// <summary>A failed attempt that <see cref="BackoffRetry"/> is about to retry, as its <c>onRetry</c> callback sees it.</summary>
/// <param name="Number">The failed attempt's number, from 1.</param>
/// <param name="Delay">How long the pipeline waits before the next attempt.</param>
/// <param name="Exception">What the attempt threw; <see langword="null"/> when its result asked for the retry.</param>
public readonly record struct RetryAttempt(int Number, TimeSpan Delay, Exception? Exception);
