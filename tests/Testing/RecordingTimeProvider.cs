using Microsoft.Extensions.Time.Testing;
using Xunit;

namespace Kinesis.Clients.Testing;

/// <summary>
/// A <see cref="FakeTimeProvider"/> that records every timer created on it (a <c>Task.Delay</c> on this clock, a
/// timed <see cref="CancellationTokenSource"/>), so a test can wait for the component to reach its idle point (it
/// now waits on this clock) and check how long it chose to wait, instead of watching for a guessed time that
/// nothing happens.
/// </summary>
public sealed class RecordingTimeProvider : FakeTimeProvider
{
    private readonly Lock _gate = new();
    private readonly List<RecordedTimer> _timers = [];
    private readonly List<(Func<RecordedTimer, bool> Match, TaskCompletionSource<RecordedTimer> Found)> _waiters = [];

    /// <summary>A clock starting at <see cref="FakeTimeProvider"/>'s default time.</summary>
    public RecordingTimeProvider()
    {
    }

    /// <summary>A clock starting at <paramref name="startDateTime"/>.</summary>
    /// <param name="startDateTime">The clock's first reading.</param>
    public RecordingTimeProvider(DateTimeOffset startDateTime)
        : base(startDateTime)
    {
    }

    /// <summary>Every timer created so far, oldest first.</summary>
    public IReadOnlyList<RecordedTimer> Timers
    {
        get
        {
            lock (_gate)
            {
                return [.. _timers];
            }
        }
    }

    /// <inheritdoc />
    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        var timer = new RecordedTimer(this, dueTime, period);
        timer.Attach(base.CreateTimer(
            s =>
            {
                timer.MarkFired();
                callback(s);
            },
            state,
            dueTime,
            period));
        Publish(timer);
        return timer;
    }

    /// <summary>
    /// Waits until a timer that is still pending (neither fired nor disposed) matches <paramref name="match"/>: the
    /// component has decided to wait on this clock. Fails the test if none does within <paramref name="within"/>.
    /// </summary>
    /// <param name="match">Which timer; e.g. one due a given time from now.</param>
    /// <param name="what">What is awaited, for the failure message.</param>
    /// <param name="within">The deadline, on the real clock.</param>
    public async Task<RecordedTimer> WaitForPendingTimerAsync(Func<RecordedTimer, bool> match, string what, TimeSpan within)
    {
        ArgumentNullException.ThrowIfNull(match);
        TaskCompletionSource<RecordedTimer> found;
        lock (_gate)
        {
            var pending = _timers.FirstOrDefault(t => t.IsPending && match(t));
            if (pending is not null)
            {
                return pending;
            }

            found = new TaskCompletionSource<RecordedTimer>(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((t => t.IsPending && match(t), found));
        }

        try
        {
            return await found.Task.WaitAsync(within).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var seen = string.Join(", ", Timers.Select(t => t.ToString()));
            Assert.Fail($"No pending timer for {what} within {within.TotalSeconds:0.###} s; timers so far: [{seen}]");
            throw;
        }
    }

    // A timer is published when created and again when re-armed, so a waiter sees its latest due time.
    internal void Publish(RecordedTimer timer)
    {
        List<TaskCompletionSource<RecordedTimer>> found = [];
        lock (_gate)
        {
            if (!_timers.Contains(timer))
            {
                _timers.Add(timer);
            }

            for (var i = _waiters.Count - 1; i >= 0; i--)
            {
                if (_waiters[i].Match(timer))
                {
                    found.Add(_waiters[i].Found);
                    _waiters.RemoveAt(i);
                }
            }
        }

        foreach (var waiter in found)
        {
            waiter.TrySetResult(timer);
        }
    }
}
