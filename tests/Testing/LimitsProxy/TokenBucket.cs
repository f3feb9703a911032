namespace Kinesis.Clients.Testing;

/// <summary>
/// A token bucket refilled continuously at a fixed rate up to its capacity. Not thread-safe: the
/// <see cref="ShardState"/> that owns it serialises access.
/// </summary>
internal sealed class TokenBucket
{
    private readonly TimeProvider _time;
    private readonly double _ratePerSecond;
    private readonly double _capacity;
    private double _tokens;
    private long _refilledAt;

    public TokenBucket(TimeProvider time, double ratePerSecond, double capacity)
    {
        _time = time;
        _ratePerSecond = ratePerSecond;
        _capacity = capacity;
        _tokens = capacity;
        _refilledAt = time.GetTimestamp();
    }

    public double Tokens
    {
        get
        {
            Refill();
            return _tokens;
        }
    }

    /// <summary>
    /// Whether <paramref name="amount"/> can be taken now. A full bucket admits anything, so a single
    /// record larger than the burst (a 1 MiB record with a short burst) still gets through, once.
    /// </summary>
    public bool CanTake(double amount)
    {
        Refill();
        return _tokens >= amount || _tokens >= _capacity;
    }

    /// <summary>Takes tokens, possibly going negative: a debt that later refills pay off first.</summary>
    public void Take(double amount) => _tokens -= amount;

    private void Refill()
    {
        var now = _time.GetTimestamp();
        var elapsed = _time.GetElapsedTime(_refilledAt, now).TotalSeconds;
        _refilledAt = now;
        if (elapsed > 0)
        {
            _tokens = Math.Min(_capacity, _tokens + (elapsed * _ratePerSecond));
        }
    }
}
