using Kinesis.Clients.Consumer.Leases;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Consumer.Tests.Leases;

public sealed class LeaseExpiryTrackerTests
{
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(10);
    private readonly FakeTimeProvider _time = new();

    private static Lease L(string key, string? owner, long counter) => new() { LeaseKey = key, LeaseOwner = owner, LeaseCounter = counter };

    [Fact]
    public void A_lease_seen_for_the_first_time_counts_as_just_changed()
    {
        var tracker = new LeaseExpiryTracker(_time);
        tracker.Observe([L("a", "w1", 5)], _time.GetTimestamp());

        _time.Advance(Failover - TimeSpan.FromTicks(1));
        Assert.False(tracker.IsExpired("a", _time.GetTimestamp(), Failover));

        _time.Advance(TimeSpan.FromTicks(1));
        Assert.True(tracker.IsExpired("a", _time.GetTimestamp(), Failover));
        Assert.Equal(Failover, tracker.UnchangedFor("a", _time.GetTimestamp()));
    }

    [Fact]
    public void A_counter_that_moved_restarts_the_clock()
    {
        var tracker = new LeaseExpiryTracker(_time);
        tracker.Observe([L("a", "w1", 5)], _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(9));
        tracker.Observe([L("a", "w1", 6)], _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(9));

        Assert.False(tracker.IsExpired("a", _time.GetTimestamp(), Failover));
        Assert.Equal(TimeSpan.FromSeconds(9), tracker.UnchangedFor("a", _time.GetTimestamp()));
    }

    [Fact]
    public void A_counter_that_stood_still_keeps_its_first_time_across_listings()
    {
        var tracker = new LeaseExpiryTracker(_time);
        for (var i = 0; i < 5; i++)
        {
            tracker.Observe([L("a", "w1", 5)], _time.GetTimestamp());
            _time.Advance(TimeSpan.FromSeconds(3));
        }

        Assert.Equal(TimeSpan.FromSeconds(15), tracker.UnchangedFor("a", _time.GetTimestamp()));
        Assert.True(tracker.IsExpired("a", _time.GetTimestamp(), Failover));
    }

    [Fact]
    public void An_owner_change_with_the_same_counter_is_not_a_change()
    {
        // Impossible through the KCL's writes (every owner change moves the counter); only the counter is watched.
        var tracker = new LeaseExpiryTracker(_time);
        tracker.Observe([L("a", "w1", 5)], _time.GetTimestamp());
        _time.Advance(Failover);
        tracker.Observe([L("a", "w2", 5)], _time.GetTimestamp());

        Assert.True(tracker.IsExpired("a", _time.GetTimestamp(), Failover));
    }

    [Fact]
    public void Leases_gone_from_the_table_are_forgotten()
    {
        var tracker = new LeaseExpiryTracker(_time);
        tracker.Observe([L("a", "w1", 1), L("b", "w1", 1)], _time.GetTimestamp());
        _time.Advance(Failover);
        tracker.Observe([L("b", "w1", 1)], _time.GetTimestamp());

        Assert.Equal(1, tracker.Count);
        Assert.False(tracker.IsExpired("a", _time.GetTimestamp(), Failover));
        Assert.Equal(TimeSpan.Zero, tracker.UnchangedFor("a", _time.GetTimestamp()));
        Assert.Equal(["b"], tracker.Snapshot(_time.GetTimestamp()).Keys);
    }

    [Fact]
    public void Own_takes_restart_the_clock_of_that_lease()
    {
        var tracker = new LeaseExpiryTracker(_time);
        tracker.Observe([L("a", "w1", 1)], _time.GetTimestamp());
        _time.Advance(Failover * 2);
        tracker.Observe(L("a", "me", 2), _time.GetTimestamp());

        Assert.Equal(TimeSpan.Zero, tracker.UnchangedFor("a", _time.GetTimestamp()));
    }

    [Fact]
    public void A_snapshot_gives_every_known_lease_its_time_standing_still()
    {
        var tracker = new LeaseExpiryTracker(_time);
        tracker.Observe([L("a", "w1", 1)], _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(4));
        tracker.Observe([L("a", "w1", 1), L("b", null, 0)], _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(1));

        var snapshot = tracker.Snapshot(_time.GetTimestamp());

        Assert.Equal(TimeSpan.FromSeconds(5), snapshot["a"]);
        Assert.Equal(TimeSpan.FromSeconds(1), snapshot["b"]);
    }

    [Fact]
    public void The_next_expiry_is_the_first_watched_lease_to_reach_the_failover_time_later_than_now()
    {
        var tracker = new LeaseExpiryTracker(_time);
        tracker.Observe([L("a", "w1", 1), L("b", "w2", 1), L("c", "w2", 1)], _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(4));
        tracker.Observe([L("a", "w1", 1), L("b", "w2", 2), L("c", "w2", 1)], _time.GetTimestamp());
        _time.Advance(TimeSpan.FromSeconds(7));
        var now = _time.GetTimestamp();

        // a and c expired a second ago and are the take round's business; b, changed 7 s ago, is next.
        Assert.Equal(TimeSpan.FromSeconds(3), tracker.UntilNextExpiry(["a", "b", "c"], now, Failover));
        Assert.Null(tracker.UntilNextExpiry(["a", "c"], now, Failover));
        Assert.Null(tracker.UntilNextExpiry(["never-seen"], now, Failover));
        Assert.Null(tracker.UntilNextExpiry([], now, Failover));
    }
}
