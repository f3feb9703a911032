using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Tests.Leases;
using Kinesis.Clients.Consumer.Worker;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// Which takes count as steals from a live owner (the new processor then waits for the old owner to notice):
/// only a take from an owner whose counter this worker saw move within the failover time. A released, new or
/// expired lease has nobody to wait for.
/// </summary>
public sealed class StealAwareLeaseStoreTests
{
    private const int Timeout = 30_000;
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryLeaseStore _inner = new();

    [Theory(Timeout = Timeout)]
    //          owner,  listed ago (s), steal?
    [InlineData(null, 0, false)] // unowned (new, or released by a graceful shutdown)
    [InlineData("w1", 0, true)] // owner renewed just now: a steal
    [InlineData("w1", 9, true)] // still within the failover time
    [InlineData("w1", 10, false)] // expired: its owner has stopped
    public async Task Only_a_take_from_a_live_owner_is_a_steal(string? owner, int listedSecondsAgo, bool steal)
    {
        var store = new StealAwareLeaseStore(_inner, Failover, _time);
        await _inner.CreateIfAbsentAsync(Lease.ForNewShard("s0", ExtendedSequenceNumber.TrimHorizon));
        if (owner is not null)
        {
            Assert.NotNull(await _inner.TakeAsync((await _inner.GetAsync("s0"))!, owner));
        }

        var observed = Assert.Single(await store.ListAsync());
        _time.Advance(TimeSpan.FromSeconds(listedSecondsAgo));

        Assert.NotNull(await store.TakeAsync(observed, "w2"));

        Assert.Equal(steal, store.TakeWasSteal("s0"));
        Assert.False(store.TakeWasSteal("s0"));
    }
}
