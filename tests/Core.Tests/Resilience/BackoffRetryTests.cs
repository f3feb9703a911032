using Kinesis.Clients.Resilience;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Tests.Resilience;

public sealed class BackoffRetryTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact(Timeout = 30_000)]
    public async Task Accepted_exceptions_are_retried_until_the_attempt_succeeds_with_growing_capped_delays()
    {
        var attempts = new List<RetryAttempt>();
        var pipeline = BackoffRetry.ForExceptions(
            ex => ex is TimeoutException, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(8), TimeProvider.System, attempts.Add);
        var calls = 0;

        var result = await pipeline.ExecuteAsync(_ => ++calls < 40 ? throw new TimeoutException($"call {calls}") : ValueTask.FromResult(calls))
            .AsTask().WaitAsync(Deadline);

        // Far past any default attempt limit: the pipeline retries until stopped.
        Assert.Equal(40, result);
        Assert.Equal(Enumerable.Range(1, 39), attempts.Select(a => a.Number));
        Assert.Equal("call 1", attempts[0].Exception?.Message);
        Assert.All(attempts, a => Assert.InRange(a.Delay, TimeSpan.Zero, TimeSpan.FromMilliseconds(8)));
    }

    [Fact(Timeout = 30_000)]
    public async Task An_exception_the_predicate_refuses_ends_the_loop_at_once()
    {
        var retries = 0;
        var pipeline = BackoffRetry.ForExceptions(
            ex => ex is TimeoutException, TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(2), TimeProvider.System, _ => retries++);
        var calls = 0;

        await Assert.ThrowsAsync<InvalidOperationException>(() => pipeline.ExecuteAsync<int>(_ =>
        {
            calls++;
            throw new InvalidOperationException("not retryable");
        }).AsTask().WaitAsync(Deadline));

        Assert.Equal(1, calls);
        Assert.Equal(0, retries);
    }

    [Fact(Timeout = 30_000)]
    public async Task Results_that_ask_for_a_retry_are_retried_and_the_last_one_returned()
    {
        var attempts = new List<RetryAttempt>();
        var pipeline = BackoffRetry.ForResults<string>(
            r => r == "again", TimeSpan.FromMilliseconds(1), TimeSpan.FromMilliseconds(4), TimeProvider.System, attempts.Add);
        var calls = 0;

        var result = await pipeline.ExecuteAsync(_ => ValueTask.FromResult(++calls < 5 ? "again" : "done")).AsTask().WaitAsync(Deadline);

        Assert.Equal("done", result);
        Assert.Equal(4, attempts.Count);
        Assert.All(attempts, a => Assert.Null(a.Exception));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_waits_run_on_the_given_clock()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var retried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = BackoffRetry.ForExceptions(
            ex => ex is TimeoutException, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), clock, _ => retried.TrySetResult());
        var calls = 0;

        var run = pipeline.ExecuteAsync(_ => ++calls == 1 ? throw new TimeoutException() : ValueTask.FromResult(calls)).AsTask();
        await retried.Task.WaitAsync(Deadline);
        Assert.Equal(1, calls);
        Assert.False(run.IsCompleted);

        // The first delay is jittered around the base delay but never above the cap.
        clock.Advance(TimeSpan.FromSeconds(20));

        Assert.Equal(2, await run.WaitAsync(Deadline));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_waits_grow_as_the_jittered_exponential_allows_and_stay_at_the_cap_once_there()
    {
        var baseDelay = TimeSpan.FromSeconds(1);
        var cap = TimeSpan.FromSeconds(30);
        const int Waits = 16;
        var clock = new RecordingTimeProvider(DateTimeOffset.UtcNow);
        var waits = new List<TimeSpan>();
        var pipeline = BackoffRetry.ForResults<int>(n => n <= Waits, baseDelay, cap, clock, a => waits.Add(a.Delay));
        var calls = 0;

        var run = pipeline.ExecuteAsync(_ => ValueTask.FromResult(++calls)).AsTask();
        for (var i = 0; i < Waits; i++)
        {
            // Each wait runs on the fake clock: moved on by exactly the wait the pipeline chose.
            var timer = await clock.WaitForPendingTimerAsync(t => t.DueTime > TimeSpan.Zero, $"wait {i}", Deadline);
            clock.Advance(timer.DueTime);
        }

        Assert.Equal(Waits + 1, await run.WaitAsync(Deadline));
        Assert.Equal(Waits, waits.Count);
        Assert.All(waits, w => Assert.InRange(w, TimeSpan.Zero, cap));
        var total = TimeSpan.Zero;
        for (var k = 1; k <= Waits; k++)
        {
            total += waits[k - 1];
            Assert.True(
                total >= BackoffBounds.LeastTotal(k, baseDelay, cap) && total <= BackoffBounds.MostTotal(k, baseDelay, cap),
                $"the first {k} waits add up to {total}, outside [{BackoffBounds.LeastTotal(k, baseDelay, cap)}, {BackoffBounds.MostTotal(k, baseDelay, cap)}]: [{string.Join(", ", waits)}]");
        }

        // From the 9th wait on, an uncapped wait is under 30 s only when two draws fall within a few hundredths of
        // each other (about 3 % for the 9th, halving each time after): most of the late waits are the cap itself.
        Assert.True(waits.Skip(8).Count(w => w == cap) >= 5, $"late waits mostly at the cap: [{string.Join(", ", waits)}]");
    }

    [Fact(Timeout = 30_000)]
    public async Task Cancellation_stops_the_loop_while_it_waits()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var retried = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var pipeline = BackoffRetry.ForExceptions(
            ex => ex is TimeoutException, TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20), clock, _ => retried.TrySetResult());
        using var stop = new CancellationTokenSource();

        var run = pipeline.ExecuteAsync<int>(_ => throw new TimeoutException(), stop.Token).AsTask();
        await retried.Task.WaitAsync(Deadline);
        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run.WaitAsync(Deadline));
    }

    [Theory]
    [InlineData(0, 10)]
    [InlineData(-1, 10)]
    [InlineData(10, 5)]
    public void Delays_that_make_no_sense_are_refused(int baseMilliseconds, int maxMilliseconds)
    {
        var error = Assert.Throws<ArgumentException>(() => BackoffRetry.ForExceptions(
            _ => true, TimeSpan.FromMilliseconds(baseMilliseconds), TimeSpan.FromMilliseconds(maxMilliseconds), TimeProvider.System));

        Assert.Contains("delay", error.Message, StringComparison.Ordinal);
    }
}
