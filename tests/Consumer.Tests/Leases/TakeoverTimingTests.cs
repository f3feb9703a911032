using Kinesis.Clients.Consumer.Leases;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>
/// The worst case of a takeover on a fake clock, with the intervals a worker uses: an owner renews on time, then
/// stops right after a renewal that lands just after the observer's take round (so the observer sees it as late as
/// it can), and the observer runs its rounds when <see cref="LeaseCoordinator.NextTakeRoundDelay"/> says. The
/// observer must take the lease within failover + one renewal interval of the owner's last renewal, and never
/// while the owner's own clock says it still holds it.
/// </summary>
public sealed class TakeoverTimingTests
{
    private const int Timeout = 30_000;
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryLeaseStore _store = new();

    public static TheoryData<int> Phases => new() { 1, 100, 250, 500, 1_000, 2_000, 3_000 };

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Phases))]
    public async Task A_lease_whose_owner_stopped_renewing_is_taken_within_failover_plus_one_renewal(int lastRenewalAfterRoundMs)
    {
        var options = new KinesisConsumerOptions { ApplicationName = "app", StreamName = "stream", FailoverTime = Failover };
        await _store.CreateIfAbsentAsync(Lease.ForNewShard("s0", ExtendedSequenceNumber.TrimHorizon));
        var owner = Coordinator("owner", options);
        var observer = Coordinator("observer", options);
        await owner.RunTakeRoundAsync();
        Assert.True((await observer.RunTakeRoundAsync())!.IsEmpty);

        // The owner renews on time for a while; the observer's rounds run as its loop would run them.
        var renewal = options.EffectiveRenewalInterval;
        var start = _time.GetTimestamp();
        var nextRenewal = renewal;
        var nextRound = observer.NextTakeRoundDelay();
        var stopAfter = Failover * 3;
        var lastRound = TimeSpan.Zero;
        while (true)
        {
            var at = _time.GetElapsedTime(start);
            if (nextRenewal <= nextRound)
            {
                _time.Advance(nextRenewal - at);
                await owner.RunRenewalRoundAsync();
                nextRenewal += renewal;
            }
            else
            {
                _time.Advance(nextRound - at);
                Assert.True((await observer.RunTakeRoundAsync())!.IsEmpty, "taken from an owner renewing on time");
                lastRound = nextRound;
                nextRound += observer.NextTakeRoundDelay();
                if (lastRound >= stopAfter)
                {
                    break;
                }
            }
        }

        // The owner's last renewal lands just after that round; then it stops (killed).
        _time.Advance(TimeSpan.FromMilliseconds(lastRenewalAfterRoundMs));
        await owner.RunRenewalRoundAsync();
        var lastRenewal = _time.GetTimestamp();
        Assert.True(owner.TryGetHeldLease("s0", out _));

        var takeover = TimeSpan.Zero;
        while (!observer.TryGetHeldLease("s0", out _))
        {
            Assert.True(takeover < Failover * 3, "not taken");
            var delay = observer.NextTakeRoundDelay();
            _time.Advance(delay > TimeSpan.Zero ? delay : TimeSpan.FromMilliseconds(1));
            takeover = _time.GetElapsedTime(lastRenewal);
            await observer.RunTakeRoundAsync();
            Assert.True(
                !observer.TryGetHeldLease("s0", out _) || !owner.TryGetHeldLease("s0", out _),
                $"taken {takeover.TotalMilliseconds:0} ms after the owner's last renewal, while the owner's clock says it still holds it");
        }

        Assert.InRange(takeover, Failover, Failover + renewal);
    }

    [Theory(Timeout = Timeout)]
    [MemberData(nameof(Phases))]
    public async Task A_released_lease_is_taken_at_the_next_round(int releaseAfterRoundMs)
    {
        var options = new KinesisConsumerOptions { ApplicationName = "app", StreamName = "stream", FailoverTime = Failover };
        await _store.CreateIfAbsentAsync(Lease.ForNewShard("s0", ExtendedSequenceNumber.TrimHorizon));
        var owner = Coordinator("owner", options);
        var observer = Coordinator("observer", options);
        await owner.RunTakeRoundAsync();
        Assert.True((await observer.RunTakeRoundAsync())!.IsEmpty);
        var delay = observer.NextTakeRoundDelay();
        var release = TimeSpan.FromTicks(TimeSpan.FromMilliseconds(releaseAfterRoundMs).Ticks % delay.Ticks);

        _time.Advance(release);
        Assert.True(await owner.ReleaseAsync("s0"));
        _time.Advance(delay - release);
        await observer.RunTakeRoundAsync();

        Assert.True(observer.TryGetHeldLease("s0", out _));
        Assert.Equal(options.EffectiveTakeInterval, delay);
        Assert.True(delay < TimeSpan.FromSeconds(2), $"take interval {delay}");
    }

    private LeaseCoordinator Coordinator(string id, KinesisConsumerOptions options) => new(_store, new LeaseCoordinatorOptions
    {
        WorkerId = id,
        FailoverTime = options.FailoverTime,
        RenewalInterval = options.EffectiveRenewalInterval,
        TakeInterval = options.EffectiveTakeInterval,
        TimeProvider = _time,
    });
}
