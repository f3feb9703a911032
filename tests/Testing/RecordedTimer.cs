namespace Kinesis.Clients.Testing;

/// <summary>A timer created on a <see cref="RecordingTimeProvider"/>: when it was armed, for how long, and whether it is still pending.</summary>
public sealed class RecordedTimer : ITimer
{
    private readonly RecordingTimeProvider _clock;
    private ITimer? _inner;
    private int _fired;
    private int _disposed;

    internal RecordedTimer(RecordingTimeProvider clock, TimeSpan dueTime, TimeSpan period)
    {
        _clock = clock;
        Arm(dueTime, period);
    }

    /// <summary>The clock's time when the timer was last armed (created or changed).</summary>
    public DateTimeOffset ArmedAt { get; private set; }

    /// <summary>How long after <see cref="ArmedAt"/> it fires; <see cref="Timeout.InfiniteTimeSpan"/> if never.</summary>
    public TimeSpan DueTime { get; private set; }

    /// <summary>The period after the first firing; <see cref="Timeout.InfiniteTimeSpan"/> for a one-shot timer.</summary>
    public TimeSpan Period { get; private set; }

    /// <summary>Whether it has fired at least once.</summary>
    public bool HasFired => Volatile.Read(ref _fired) == 1;

    /// <summary>Whether it has been disposed.</summary>
    public bool IsDisposed => Volatile.Read(ref _disposed) == 1;

    /// <summary>Armed, not disposed, and (if one-shot) not fired yet: something is waiting on it.</summary>
    public bool IsPending =>
        !IsDisposed && DueTime != Timeout.InfiniteTimeSpan && (!HasFired || Period != Timeout.InfiniteTimeSpan);

    /// <inheritdoc />
    public bool Change(TimeSpan dueTime, TimeSpan period)
    {
        Arm(dueTime, period);
        Volatile.Write(ref _fired, 0);
        var changed = _inner?.Change(dueTime, period) ?? false;
        _clock.Publish(this);
        return changed;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Volatile.Write(ref _disposed, 1);
        _inner?.Dispose();
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync()
    {
        Dispose();
        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{DueTime} from {ArmedAt:HH:mm:ss.fff}{(HasFired ? ", fired" : "")}{(IsDisposed ? ", disposed" : "")}";

    internal void Attach(ITimer inner) => _inner = inner;

    internal void MarkFired() => Volatile.Write(ref _fired, 1);

    private void Arm(TimeSpan dueTime, TimeSpan period)
    {
        ArmedAt = _clock.GetUtcNow();
        DueTime = dueTime;
        Period = period;
    }
}
