namespace Kinesis.Clients.Producer.Limits;

/// <summary>
/// A token bucket refilled continuously at a fixed rate up to one second's worth. A take succeeds while
/// any token is left and may overdraw, so an item larger than the bucket still gets through (after the
/// debt is repaid the bucket opens again) instead of waiting forever.
/// </summary>
/// <remarks>
/// Tokens sent on their way and not yet answered (<see cref="Send"/>, <see cref="Release"/>) keep the bucket from
/// refilling past its capacity less them: the service charges a record when it arrives, so a bucket that refilled
/// while earlier records were still on their way (queued for a connection, a stalled thread) would let the next
/// ones arrive together with them, above the shard's rate. Tokens plus tokens on their way never exceed the capacity.
/// </remarks>
internal sealed class TokenBucket
{
    private readonly double _ratePerSecond;
    private readonly double _capacity;
    private readonly long _frequency;
    private double _tokens;
    private double _inFlight;
    private long _lastRefill;

    public TokenBucket(double ratePerSecond, long now, long timestampFrequency)
    {
        if (ratePerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "The rate must be positive.");
        }

        _ratePerSecond = ratePerSecond;
        _capacity = ratePerSecond;
        _frequency = timestampFrequency;
        _tokens = _capacity;
        _lastRefill = now;
    }

    public double Available(long now)
    {
        Refill(now);
        return _tokens;
    }

    public bool CanTake(long now)
    {
        Refill(now);
        return _tokens > 0;
    }

    /// <summary>
    /// Whether <paramref name="amount"/> fits now: the tokens cover it, or the bucket is full (so an item
    /// larger than the whole bucket still gets through, overdrawing it, instead of waiting forever). This
    /// is how the service's own limiter counts, so a producer held to 100 % is not throttled by it.
    /// </summary>
    public bool CanTake(double amount, long now)
    {
        Refill(now);
        return _tokens >= amount || _tokens >= _capacity;
    }

    /// <summary>How long until <see cref="CanTake(double, long)"/> holds for <paramref name="amount"/>.</summary>
    public TimeSpan TimeUntilAvailable(double amount, long now)
    {
        Refill(now);
        var needed = Math.Min(amount, _capacity);
        if (_tokens >= needed)
        {
            return TimeSpan.Zero;
        }

        if (_capacity - _inFlight < needed)
        {
            // Only answers to what is on its way can make room; their messages wake the pipeline.
            return TimeSpan.MaxValue;
        }

        return TimeSpan.FromSeconds((needed - _tokens + (1e-6 * _ratePerSecond)) / _ratePerSecond);
    }

    public void Take(double amount) => _tokens -= amount;

    /// <summary>Takes <paramref name="amount"/> (overdrawing if need be) for something sent now and not answered yet.</summary>
    public void Send(double amount, long now)
    {
        Refill(now);
        _tokens -= amount;
        _inFlight += amount;
    }

    /// <summary>What was <see cref="Send"/> has been answered: the bucket may refill that much again, from now.</summary>
    public void Release(double amount, long now)
    {
        // Refilled up to now under the old ceiling first, so the time spent waiting for the answer refills nothing.
        Refill(now);
        _inFlight = Math.Max(0, _inFlight - amount);
    }

    /// <summary>How long until a take can succeed again (zero when it can now).</summary>
    public TimeSpan TimeUntilAvailable(long now)
    {
        Refill(now);
        if (_tokens > 0)
        {
            return TimeSpan.Zero;
        }

        if (_capacity - _inFlight <= 0)
        {
            return TimeSpan.MaxValue;
        }

        // A token more than the debt, so the wake-up finds the bucket open.
        return TimeSpan.FromSeconds((-_tokens + 1e-6 * _ratePerSecond) / _ratePerSecond);
    }

    private void Refill(long now)
    {
        if (now <= _lastRefill)
        {
            return;
        }

        var ceiling = _capacity - _inFlight;
        if (_tokens < ceiling)
        {
            _tokens = Math.Min(ceiling, _tokens + ((now - _lastRefill) * _ratePerSecond / _frequency));
        }

        _lastRefill = now;
    }
}
