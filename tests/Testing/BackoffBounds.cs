namespace Kinesis.Clients.Testing;

/// <summary>
/// What the suite's retry waits (BackoffRetry: Polly's exponential backoff with decorrelated jitter,
/// "DecorrelatedJitterV2") are bound to, for the tests that check them.
/// </summary>
/// <remarks>
/// Wait <c>i</c> (from 0) draws <c>t_i</c> uniformly from <c>[i, i + 1)</c> and lasts
/// <c>base · (F(t_i) − F(t_{i−1})) / 1.4</c>, with <c>F(t) = 2^t · tanh(√(4t))</c> and <c>F(t_{−1}) = 0</c>; each wait
/// is then capped at the longest delay. A single wait has no lower bound above zero (<c>t_{i−1}</c> just under
/// <c>i</c> and <c>t_i</c> just over it give almost nothing), but the waits add up: the first <c>k</c> uncapped waits
/// total <c>base · F(t_{k−1}) / 1.4</c>, between <c>F(k − 1)</c> and <c>F(k)</c> times <c>base / 1.4</c>. With the cap,
/// either one of them was capped (the total is at least the cap) or none was.
/// </remarks>
public static class BackoffBounds
{
    private const double Scaling = 1 / 1.4;

    /// <summary>The curve the waits follow, <c>2^t · tanh(√(4t))</c>.</summary>
    /// <param name="t">The attempt index plus its jitter.</param>
    public static double Curve(double t) => Math.Pow(2, t) * Math.Tanh(Math.Sqrt(4 * t));

    /// <summary>The least the first <paramref name="waits"/> waits can add up to.</summary>
    /// <param name="waits">How many waits, from the first.</param>
    /// <param name="baseDelay">The base delay.</param>
    /// <param name="maxDelay">The cap on each wait.</param>
    public static TimeSpan LeastTotal(int waits, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(waits, 1);
        var uncapped = baseDelay.Ticks * Curve(waits - 1) * Scaling;

        // Polly truncates each wait to whole ticks.
        return TimeSpan.FromTicks((long)Math.Min(maxDelay.Ticks, uncapped) - waits);
    }

    /// <summary>The most the first <paramref name="waits"/> waits can add up to.</summary>
    /// <param name="waits">How many waits, from the first.</param>
    /// <param name="baseDelay">The base delay.</param>
    /// <param name="maxDelay">The cap on each wait.</param>
    public static TimeSpan MostTotal(int waits, TimeSpan baseDelay, TimeSpan maxDelay)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(waits, 1);
        var uncapped = baseDelay.Ticks * Curve(waits) * Scaling;
        return TimeSpan.FromTicks((long)Math.Min(uncapped, (double)maxDelay.Ticks * waits));
    }
}
