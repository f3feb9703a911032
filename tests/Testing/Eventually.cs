using System.Diagnostics;
using Xunit;

namespace Kinesis.Clients.Testing;

/// <summary>
/// Waits for a condition with a deadline, looking again every few milliseconds, instead of sleeping a guessed time.
/// A condition not reached in time fails the test with a message saying what was awaited (and, through a
/// describing function, what was seen instead).
/// </summary>
public static class Eventually
{
    /// <summary>The deadline when a caller names none: ample for work on this machine, short enough to fail fast.</summary>
    public static readonly TimeSpan DefaultWithin = TimeSpan.FromSeconds(10);

    // In-process state is cheap to look at; a condition that calls an engine is asked less often.
    private static readonly TimeSpan LocalInterval = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan RemoteInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">Looked at from the waiting thread; must not block.</param>
    /// <param name="what">What is awaited, for the failure message ("3 records read").</param>
    /// <param name="within">The deadline; <see cref="DefaultWithin"/> when <see langword="null"/>.</param>
    public static Task HoldsAsync(Func<bool> condition, string what, TimeSpan? within = null) =>
        HoldsAsync(condition, () => what, within);

    /// <summary>Waits until <paramref name="condition"/> holds.</summary>
    /// <param name="condition">Looked at from the waiting thread; must not block.</param>
    /// <param name="describe">Says what is awaited and what is seen now; called only on failure.</param>
    /// <param name="within">The deadline; <see cref="DefaultWithin"/> when <see langword="null"/>.</param>
    public static async Task HoldsAsync(Func<bool> condition, Func<string> describe, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = within ?? DefaultWithin;
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline)
            {
                Fail(describe, deadline);
            }

            await Task.Delay(LocalInterval).ConfigureAwait(false);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> (e.g. a call to an engine) answers <see langword="true"/>.</summary>
    /// <param name="condition">Asked again after each answer; a call still running at the deadline fails the wait.</param>
    /// <param name="describe">Says what is awaited and what is seen now; called only on failure.</param>
    /// <param name="within">The deadline; <see cref="DefaultWithin"/> when <see langword="null"/>.</param>
    public static async Task HoldsAsync(Func<Task<bool>> condition, Func<string> describe, TimeSpan? within = null)
    {
        ArgumentNullException.ThrowIfNull(condition);
        var deadline = within ?? DefaultWithin;
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = deadline - clock.Elapsed;
            if (left <= TimeSpan.Zero)
            {
                Fail(describe, deadline);
            }

            bool reached;
            try
            {
                reached = await condition().WaitAsync(left).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                Fail(describe, deadline);
                throw;
            }

            if (reached)
            {
                return;
            }

            await Task.Delay(RemoteInterval).ConfigureAwait(false);
        }
    }

    private static void Fail(Func<string> describe, TimeSpan deadline) =>
        Assert.Fail($"Not reached within {deadline.TotalSeconds:0.###} s: {describe()}");
}
