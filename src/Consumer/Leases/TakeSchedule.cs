namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// When the next take round runs: one take interval after the last round started, or earlier, the moment a lease
/// this worker watches would reach the failover time, so an expired lease is taken when it expires rather than at
/// the round after. Pure.
/// </summary>
/// <remarks>
/// Expiry is still judged from when this worker first saw the lease's current counter; waking at that moment
/// only removes the wait for the next round. The round that runs then lists the table again, so a lease its owner
/// renewed meanwhile is not taken.
/// </remarks>
internal static class TakeSchedule
{
    /// <summary>How long to wait before the next take round.</summary>
    /// <param name="sinceRoundStarted">Time since the last round started (rounds run at a fixed rate).</param>
    /// <param name="takeInterval">The take interval.</param>
    /// <param name="untilNextExpiry">Time until the next watched lease expires, if any expires later than now.</param>
    public static TimeSpan NextDelay(TimeSpan sinceRoundStarted, TimeSpan takeInterval, TimeSpan? untilNextExpiry)
    {
        var delay = takeInterval - sinceRoundStarted;
        if (untilNextExpiry is { } expiry && expiry > TimeSpan.Zero && expiry < delay)
        {
            delay = expiry;
        }

        return delay > TimeSpan.Zero ? delay : TimeSpan.Zero;
    }
}
