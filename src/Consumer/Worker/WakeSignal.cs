namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// Wakes the worker's loop when a lease event arrives. Unlike a semaphore waited with a time-out, a wait that times
/// out takes nothing away from a later signal, and the time-out runs on the injected clock.
/// </summary>
internal sealed class WakeSignal
{
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Wakes the current or next wait.</summary>
    public void Set() => Volatile.Read(ref _next).TrySetResult();

    /// <summary>Forgets a signal already delivered, so only events after this call wake the next wait.</summary>
    public void Reset()
    {
        var current = Volatile.Read(ref _next);
        if (current.Task.IsCompleted)
        {
            Interlocked.CompareExchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously), current);
        }
    }

    /// <summary>Waits for a signal, at most <paramref name="atMost"/> on <paramref name="time"/>'s clock.</summary>
    public async Task WaitAsync(TimeSpan atMost, TimeProvider time, CancellationToken cancellationToken)
    {
        try
        {
            await Volatile.Read(ref _next).Task.WaitAsync(atMost, time, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Time to look at the shard sync schedule again.
        }
    }
}
