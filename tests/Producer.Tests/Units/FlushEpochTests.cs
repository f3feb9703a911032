using Kinesis.Clients.Producer.Buffering;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class FlushEpochTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public void Closing_an_epoch_with_nothing_outstanding_drains_it_at_once()
    {
        var epoch = new FlushEpoch(null);

        epoch.Close();

        Assert.True(epoch.Drained.IsCompletedSuccessfully);
    }

    [Fact]
    public void An_epoch_is_not_drained_before_it_is_closed()
    {
        var epoch = new FlushEpoch(null);
        epoch.Enter();
        epoch.Exit();

        Assert.False(epoch.Drained.IsCompleted);
    }

    [Fact]
    public void Records_that_completed_before_the_close_do_not_hold_it_up()
    {
        var epoch = new FlushEpoch(null);
        epoch.Enter();
        epoch.Enter();
        epoch.Exit();
        epoch.Exit();

        epoch.Close();

        Assert.True(epoch.Drained.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_closed_epoch_drains_only_when_every_Enter_has_its_Exit()
    {
        var epoch = new FlushEpoch(null);
        epoch.Enter();
        epoch.Enter();
        epoch.Enter();
        epoch.Exit();

        epoch.Close();
        Assert.False(epoch.Drained.IsCompleted);
        epoch.Exit();
        Assert.False(epoch.Drained.IsCompleted);
        epoch.Exit();

        Assert.True(epoch.Drained.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_later_epoch_waits_for_the_earlier_one_to_drain()
    {
        var earlier = new FlushEpoch(null);
        earlier.Enter();
        var later = new FlushEpoch(earlier);

        earlier.Close();
        later.Close();
        Assert.False(earlier.Drained.IsCompleted);
        Assert.False(later.Drained.IsCompleted);

        earlier.Exit();

        await later.Drained.WaitAsync(Timeout);
        Assert.True(earlier.Drained.IsCompletedSuccessfully);
    }

    [Fact]
    public void A_later_epoch_whose_earlier_one_has_drained_drains_at_once()
    {
        var earlier = new FlushEpoch(null);
        earlier.Close();
        var later = new FlushEpoch(earlier);

        later.Close();

        Assert.True(later.Drained.IsCompletedSuccessfully);
    }

    [Fact]
    public async Task A_chain_of_epochs_drains_only_when_the_oldest_has()
    {
        var first = new FlushEpoch(null);
        var second = new FlushEpoch(first);
        var third = new FlushEpoch(second);
        foreach (var epoch in new[] { first, second, third })
        {
            epoch.Enter();
            epoch.Close();
        }

        third.Exit();
        second.Exit();
        Assert.False(first.Drained.IsCompleted);
        Assert.False(second.Drained.IsCompleted);
        Assert.False(third.Drained.IsCompleted);

        first.Exit();

        await third.Drained.WaitAsync(Timeout);
        await second.Drained.WaitAsync(Timeout);
    }

    [Fact]
    public async Task An_earlier_epoch_still_open_holds_up_a_later_closed_one()
    {
        var earlier = new FlushEpoch(null);
        var later = new FlushEpoch(earlier);
        later.Close();

        Assert.False(later.Drained.IsCompleted);

        earlier.Close();
        await later.Drained.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Under_concurrent_exits_an_epoch_never_drains_while_a_record_is_outstanding()
    {
        const int Records = 10_000;
        for (var round = 0; round < 20; round++)
        {
            var epoch = new FlushEpoch(null);
            for (var i = 0; i < Records; i++)
            {
                epoch.Enter();
            }

            var exited = 0;
            var exitedWhenDrained = Task.Run(async () =>
            {
                await epoch.Drained;
                return Volatile.Read(ref exited);
            });

            // The close lands somewhere among the exits.
            var exits = Enumerable.Range(0, 8).Select(worker => Task.Run(() =>
            {
                for (var i = worker; i < Records; i += 8)
                {
                    Interlocked.Increment(ref exited);
                    epoch.Exit();
                }
            })).ToArray();
            epoch.Close();

            await Task.WhenAll(exits).WaitAsync(Timeout);
            Assert.Equal(Records, await exitedWhenDrained.WaitAsync(Timeout));
        }
    }
}
