using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

public sealed class TakeScheduleTests
{
    [Theory]
    //           since round, interval, until expiry (-1: none), expected delay (ms)
    [InlineData(0, 1_000, -1, 1_000)] // nothing expiring: one interval after the round started
    [InlineData(300, 1_000, -1, 700)] // a slow round does not push the next one back
    [InlineData(1_500, 1_000, -1, 0)] // a round longer than the interval: the next one at once
    [InlineData(0, 1_000, 400, 400)] // a watched lease expires before the next round: wake then
    [InlineData(300, 1_000, 700, 700)] // expiry and round due together
    [InlineData(300, 1_000, 900, 700)] // expiry after the next round: that round sees it
    [InlineData(0, 1_000, 0, 1_000)] // already expired: the round just run has judged it
    public void The_next_round_is_one_interval_after_the_last_or_at_the_next_expiry(int sinceRoundMs, int intervalMs, int untilExpiryMs, int expectedMs)
    {
        var delay = TakeSchedule.NextDelay(
            TimeSpan.FromMilliseconds(sinceRoundMs),
            TimeSpan.FromMilliseconds(intervalMs),
            untilExpiryMs < 0 ? null : TimeSpan.FromMilliseconds(untilExpiryMs));

        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), delay);
    }
}
