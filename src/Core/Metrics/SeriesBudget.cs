namespace Kinesis.Clients.Metrics;

/// <summary>The shared count of live series against the limit, and the measurements dropped since last asked.</summary>
internal sealed class SeriesBudget
{
    private readonly int _max;
    private int _live;
    private long _overLimit;
    private long _invalid;

    public SeriesBudget(int max)
    {
        _max = max;
    }

    public int Max => _max;

    public int Live => Volatile.Read(ref _live);

    public bool TryTake()
    {
        if (Interlocked.Increment(ref _live) <= _max)
        {
            return true;
        }

        Interlocked.Decrement(ref _live);
        return false;
    }

    public void Release() => Interlocked.Decrement(ref _live);

    public void DroppedOverLimit() => Interlocked.Increment(ref _overLimit);

    public void DroppedInvalid() => Interlocked.Increment(ref _invalid);

    /// <summary>The dropped counts since the last call, reset to zero.</summary>
    public (long OverLimit, long Invalid) TakeDropped() =>
        (Interlocked.Exchange(ref _overLimit, 0), Interlocked.Exchange(ref _invalid, 0));
}
