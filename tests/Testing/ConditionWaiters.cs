namespace Kinesis.Clients.Testing;

/// <summary>
/// "Wait until what I recorded reaches X" for the kit's loopback servers: a condition over the server's state is
/// checked at once and again after every change the server makes under its lock, so a test waits for exactly the
/// event it needs instead of polling or sleeping.
/// </summary>
/// <param name="gate">The owner's lock, held while its state changes and while <see cref="Signal"/> runs.</param>
public sealed class ConditionWaiters(Lock gate)
{
    private readonly List<(Func<bool> Reached, TaskCompletionSource Done)> _waiters = [];

    /// <summary>
    /// Completes once <paramref name="reached"/> holds; after <paramref name="timeout"/> throws a
    /// <see cref="TimeoutException"/> that says what was awaited and, through <paramref name="state"/>, what the server saw.
    /// </summary>
    public async Task WaitUntilAsync(Func<bool> reached, string what, Func<string> state, TimeSpan timeout)
    {
        ArgumentNullException.ThrowIfNull(reached);
        ArgumentNullException.ThrowIfNull(state);
        TaskCompletionSource done;
        lock (gate)
        {
            if (reached())
            {
                return;
            }

            done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((reached, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException ex)
        {
            lock (gate)
            {
                _waiters.RemoveAll(w => w.Done == done);
                throw new TimeoutException($"Waited {timeout.TotalSeconds:0.#} s for {what}; {state()}.", ex);
            }
        }
    }

    /// <summary>Completes the waits whose condition now holds; call it under the owner's lock after every change.</summary>
    public void Signal()
    {
        for (var i = _waiters.Count - 1; i >= 0; i--)
        {
            if (_waiters[i].Reached())
            {
                _waiters[i].Done.TrySetResult();
                _waiters.RemoveAt(i);
            }
        }
    }
}
