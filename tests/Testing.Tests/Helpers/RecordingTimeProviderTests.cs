using Xunit.Sdk;

namespace Kinesis.Clients.Testing.Tests.Helpers;

public sealed class RecordingTimeProviderTests
{
    private static readonly TimeSpan Within = TimeSpan.FromSeconds(10);

    [Fact(Timeout = 30_000)]
    public async Task A_delay_on_the_clock_is_seen_pending_with_its_due_time_and_fires_only_when_the_clock_reaches_it()
    {
        var clock = new RecordingTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var delay = Task.Run(() => Task.Delay(TimeSpan.FromSeconds(3), clock));

        var timer = await clock.WaitForPendingTimerAsync(t => t.DueTime == TimeSpan.FromSeconds(3), "the delay", Within);
        Assert.Equal(clock.GetUtcNow(), timer.ArmedAt);

        clock.Advance(TimeSpan.FromMilliseconds(2999));
        Assert.True(timer.IsPending);
        Assert.False(delay.IsCompleted);

        clock.Advance(TimeSpan.FromMilliseconds(1));
        await delay.WaitAsync(Within);
        Assert.True(timer.HasFired);
        Assert.False(timer.IsPending);
        Assert.Same(timer, Assert.Single(clock.Timers));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_fired_or_disposed_timer_is_not_waited_for_and_the_failure_lists_the_timers_seen()
    {
        var clock = new RecordingTimeProvider();
        using (clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan))
        {
        }

        var fired = clock.CreateTimer(_ => { }, null, TimeSpan.FromSeconds(2), Timeout.InfiniteTimeSpan);
        clock.Advance(TimeSpan.FromSeconds(2));

        var failure = await Assert.ThrowsAsync<FailException>(
            () => clock.WaitForPendingTimerAsync(_ => true, "any wait", TimeSpan.FromMilliseconds(200)));
        Assert.Contains("any wait", failure.Message, StringComparison.Ordinal);
        Assert.Contains("disposed", failure.Message, StringComparison.Ordinal);
        Assert.Contains("fired", failure.Message, StringComparison.Ordinal);
        await fired.DisposeAsync();
    }

    [Fact(Timeout = 30_000)]
    public async Task A_changed_timer_is_found_with_its_new_due_time()
    {
        var clock = new RecordingTimeProvider();
        using var timer = clock.CreateTimer(_ => { }, null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        var waiting = clock.WaitForPendingTimerAsync(t => t.DueTime == TimeSpan.FromSeconds(5), "the re-armed timer", Within);
        Assert.False(waiting.IsCompleted);

        timer.Change(TimeSpan.FromSeconds(5), Timeout.InfiniteTimeSpan);

        Assert.Same(timer, await waiting);
    }
}
