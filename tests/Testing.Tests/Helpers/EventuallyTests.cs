using Xunit.Sdk;

namespace Kinesis.Clients.Testing.Tests.Helpers;

public sealed class EventuallyTests
{
    [Fact(Timeout = 30_000)]
    public async Task A_condition_that_comes_true_ends_the_wait()
    {
        var looks = 0;
        await Eventually.HoldsAsync(() => ++looks == 3, "the third look", TimeSpan.FromSeconds(10));
        Assert.Equal(3, looks);

        var asks = 0;
        await Eventually.HoldsAsync(() => Task.FromResult(++asks == 2), () => "the second answer", TimeSpan.FromSeconds(10));
        Assert.Equal(2, asks);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_condition_never_met_fails_with_what_was_awaited_and_what_was_seen()
    {
        var failure = await Assert.ThrowsAsync<FailException>(
            () => Eventually.HoldsAsync(() => false, () => "a record; saw none", TimeSpan.FromMilliseconds(100)));
        Assert.Contains("a record; saw none", failure.Message, StringComparison.Ordinal);

        // A condition still running at the deadline fails the wait rather than holding it.
        var hanging = new TaskCompletionSource<bool>();
        var stuck = await Assert.ThrowsAsync<FailException>(
            () => Eventually.HoldsAsync(() => hanging.Task, () => "an answer", TimeSpan.FromMilliseconds(100)));
        Assert.Contains("an answer", stuck.Message, StringComparison.Ordinal);
    }
}
