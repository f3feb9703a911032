using System.Collections.Concurrent;
using Kinesis.Clients.Consumer.Leases;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>
/// The coordinator's timing on a fake clock over the in-memory table: rounds are run by hand, so every step is
/// exact. Failover 10 s, renewal every 3,308 ms, take rounds every 20,050 ms (the KCL's defaults).
/// </summary>
public sealed partial class LeaseCoordinatorTests
{
    private const int Timeout = 30_000;
    private static readonly TimeSpan Failover = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Tick = TimeSpan.FromMilliseconds(1);

    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryLeaseStore _store = new();
    private readonly ConcurrentQueue<string> _events = new();

    private LeaseCoordinator Worker(string id, Action<LeaseCoordinatorOptions>? configure = null)
    {
        var options = new LeaseCoordinatorOptions
        {
            WorkerId = id,
            TimeProvider = _time,
            OnLeaseAcquired = lease => _events.Enqueue($"{id} took {lease.LeaseKey}"),
            OnLeaseLost = key => _events.Enqueue($"{id} lost {key}"),
        };
        configure?.Invoke(options);
        return new LeaseCoordinator(_store, options);
    }

    private async Task ShardsAsync(int count)
    {
        for (var i = 0; i < count; i++)
        {
            await _store.CreateIfAbsentAsync(Lease.ForNewShard($"s{i}", ExtendedSequenceNumber.TrimHorizon));
        }
    }

    private async Task<Lease> RowAsync(string key) => (await _store.GetAsync(key))!;

    private static string[] Keys(LeaseCoordinator worker) => worker.HeldLeases.Select(l => l.LeaseKey).Order(StringComparer.Ordinal).ToArray();

    [Fact]
    public void The_KCL_intervals_are_the_defaults()
    {
        var worker = Worker("a");

        Assert.Equal(Failover, worker.FailoverTime);
        Assert.Equal(3_308.333, worker.RenewalInterval.TotalMilliseconds, 0.001);
        Assert.Equal(TimeSpan.FromMilliseconds(20_050), worker.TakeInterval);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_lone_worker_takes_every_unowned_lease_and_reports_each()
    {
        await ShardsAsync(3);
        var a = Worker("a");

        var decision = await a.RunTakeRoundAsync();

        Assert.Equal(3, decision!.ToTake.Count);
        Assert.Equal(["s0", "s1", "s2"], Keys(a));
        Assert.Equal(["a took s0", "a took s1", "a took s2"], _events.Order(StringComparer.Ordinal));
        Assert.All(await _store.ListAsync(), l => Assert.Equal(("a", 1L), (l.LeaseOwner, l.LeaseCounter)));
    }

    [Fact(Timeout = Timeout)]
    public async Task Each_renewal_round_moves_every_held_counter_by_one()
    {
        await ShardsAsync(2);
        var a = Worker("a");
        await a.RunTakeRoundAsync();

        for (var i = 0; i < 5; i++)
        {
            _time.Advance(a.RenewalInterval);
            await a.RunRenewalRoundAsync();
        }

        Assert.All(await _store.ListAsync(), l => Assert.Equal(6, l.LeaseCounter));
        Assert.All(a.HeldLeases, l => Assert.Equal(6, l.LeaseCounter));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_paused_worker_loses_its_lease_and_another_takes_it_only_after_the_failover_time()
    {
        await ShardsAsync(1);
        var a = Worker("a");
        var b = Worker("b");
        await a.RunTakeRoundAsync();
        Assert.True((await b.RunTakeRoundAsync())!.IsEmpty);

        // a stops renewing (a long GC pause, a frozen VM). b has watched the counter since its first round.
        _time.Advance(Failover - Tick);
        Assert.True((await b.RunTakeRoundAsync())!.IsEmpty);
        Assert.True(a.TryGetHeldLease("s0", out _));

        _time.Advance(Tick);
        // By a's own clock the lease is gone at the same moment b may take it: never two holders.
        Assert.False(a.TryGetHeldLease("s0", out _));
        Assert.Single((await b.RunTakeRoundAsync())!.ToTake);
        Assert.Equal(["s0"], Keys(b));
        var taken = await RowAsync("s0");
        Assert.Equal(("b", 2L, 1L), (taken.LeaseOwner, taken.LeaseCounter, taken.OwnerSwitchesSinceCheckpoint));

        // a wakes up: it drops the lease without writing, and cannot checkpoint it.
        await a.RunRenewalRoundAsync();
        Assert.Empty(a.HeldLeases);
        Assert.False(await a.TryCheckpointAsync("s0", new ExtendedSequenceNumber("100")));
        Assert.Equal(taken, await RowAsync("s0"));
        Assert.Equal(["a took s0", "b took s0", "a lost s0"], _events);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_worker_renewing_on_time_keeps_its_lease_however_long_another_watches()
    {
        await ShardsAsync(1);
        var a = Worker("a");
        var b = Worker("b");
        await a.RunTakeRoundAsync();

        for (var i = 0; i < 30; i++)
        {
            _time.Advance(a.RenewalInterval);
            await a.RunRenewalRoundAsync();
            Assert.True((await b.RunTakeRoundAsync())!.IsEmpty);
        }

        Assert.Equal(["s0"], Keys(a));
        Assert.Equal(["a took s0"], _events);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_renewal_that_lags_past_the_failover_time_drops_the_lease_without_writing()
    {
        await ShardsAsync(1);
        var a = Worker("a");
        await a.RunTakeRoundAsync();
        var before = await RowAsync("s0");

        _time.Advance(Failover);
        await a.RunRenewalRoundAsync();

        Assert.Empty(a.HeldLeases);
        Assert.Equal(before, await RowAsync("s0"));
        Assert.Equal(["a took s0", "a lost s0"], _events);
    }

    [Fact(Timeout = Timeout)]
    public async Task Store_errors_during_renewal_keep_the_lease_until_the_failover_time_runs_out()
    {
        await ShardsAsync(1);
        var a = Worker("a");
        await a.RunTakeRoundAsync();
        _store.Faults = (operation, _) => operation == "Renew" ? new IOException("connection reset") : null;

        for (var elapsed = a.RenewalInterval; elapsed < Failover; elapsed += a.RenewalInterval)
        {
            _time.Advance(a.RenewalInterval);
            await a.RunRenewalRoundAsync();
            Assert.Equal(["s0"], Keys(a));
        }

        _time.Advance(a.RenewalInterval);
        await a.RunRenewalRoundAsync();

        Assert.Empty(a.HeldLeases);
        Assert.Equal(["a took s0", "a lost s0"], _events);
    }

    [Fact(Timeout = Timeout)]
    public async Task Released_leases_are_taken_by_another_worker_in_its_next_round_without_waiting()
    {
        await ShardsAsync(4);
        var a = Worker("a");
        var b = Worker("b", o => o.MaxLeasesToStealAtOneTime = 4);
        await a.RunTakeRoundAsync();
        await a.TryCheckpointAsync("s1", new ExtendedSequenceNumber("11"));

        Assert.Equal(4, await a.ReleaseAllAsync());

        Assert.Empty(a.HeldLeases);
        Assert.Null(await a.RunTakeRoundAsync());
        Assert.All(await _store.ListAsync(), l => Assert.Null(l.LeaseOwner));
        Assert.Equal(4, (await b.RunTakeRoundAsync())!.ToTake.Count);
        Assert.Equal(["s0", "s1", "s2", "s3"], Keys(b));
        Assert.Equal(new ExtendedSequenceNumber("11"), (await RowAsync("s1")).Checkpoint);
        Assert.DoesNotContain(_events, e => e.StartsWith("a lost", StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task Without_a_release_the_other_worker_waits_out_the_failover_time()
    {
        await ShardsAsync(2);
        var a = Worker("a");
        var b = Worker("b");
        await a.RunTakeRoundAsync();
        await b.RunTakeRoundAsync();
        Assert.Single(b.HeldLeases);
        var stoppedAt = _time.GetTimestamp();

        // a is gone without a word; b renews and looks every second.
        while (b.HeldLeases.Count < 2)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            await b.RunRenewalRoundAsync();
            await b.RunTakeRoundAsync();
        }

        Assert.Equal(Failover, _time.GetElapsedTime(stoppedAt));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_joining_worker_steals_one_lease_a_round_up_to_its_fair_share()
    {
        await ShardsAsync(4);
        var a = Worker("a");
        var b = Worker("b");
        await a.RunTakeRoundAsync();

        for (var round = 1; round <= 3; round++)
        {
            _time.Advance(a.RenewalInterval);
            await a.RunRenewalRoundAsync();
            await b.RunTakeRoundAsync();
            Assert.Equal(Math.Min(round, 2), b.HeldLeases.Count);
        }

        _time.Advance(a.RenewalInterval);
        await a.RunRenewalRoundAsync();
        Assert.Equal(2, a.HeldLeases.Count);
        Assert.Empty(Keys(a).Intersect(Keys(b)));
        Assert.Equal(2, _events.Count(e => e.StartsWith("a lost", StringComparison.Ordinal)));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_worker_restarted_under_the_same_id_takes_its_leases_back_at_once()
    {
        await ShardsAsync(2);
        var before = Worker("a");
        await before.RunTakeRoundAsync();

        var after = Worker("a");
        var decision = await after.RunTakeRoundAsync();

        Assert.Equal(2, decision!.ToTake.Count);
        Assert.All(await _store.ListAsync(), l => Assert.Equal(("a", 2L, 0L), (l.LeaseOwner, l.LeaseCounter, l.OwnerSwitchesSinceCheckpoint)));
    }

    [Fact(Timeout = Timeout)]
    public async Task A_throwing_callback_does_not_stop_the_coordinator()
    {
        await ShardsAsync(2);
        var a = Worker("a", o => o.OnLeaseAcquired = _ => throw new InvalidOperationException("callback bug"));

        await a.RunTakeRoundAsync();

        Assert.Equal(2, a.HeldLeases.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task A_failing_listing_takes_nothing_and_the_next_round_recovers()
    {
        await ShardsAsync(2);
        var a = Worker("a");
        _store.Faults = (operation, _) => operation == "List" ? new IOException("throttled") : null;

        Assert.Null(await a.RunTakeRoundAsync());

        _store.Faults = null;
        Assert.Equal(2, (await a.RunTakeRoundAsync())!.ToTake.Count);
    }

    [Fact(Timeout = Timeout)]
    public async Task The_loops_run_on_the_injected_clock_and_a_stopped_workers_leases_move_only_after_the_failover_time()
    {
        await ShardsAsync(4);
        await using var a = Worker("a", o => o.TakeInterval = TimeSpan.FromSeconds(2));
        await using var b = Worker("b", o => o.TakeInterval = TimeSpan.FromSeconds(2));
        var deadline = TimeSpan.FromSeconds(20);

        a.Start();
        await Eventually.HoldsAsync(() => a.HeldLeases.Count == 4, () => $"a holds [{string.Join(",", Keys(a))}]", deadline);
        b.Start();
        await Eventually.HoldsAsync(
            () =>
            {
                _time.Advance(TimeSpan.FromMilliseconds(100));
                return a.HeldLeases.Count == 2 && b.HeldLeases.Count == 2;
            },
            () => $"a holds [{string.Join(",", Keys(a))}], b holds [{string.Join(",", Keys(b))}]",
            deadline);

        await a.StopAsync();
        var stoppedAt = _time.GetTimestamp();
        await Eventually.HoldsAsync(
            () =>
            {
                Assert.True(
                    b.HeldLeases.Count == 2 || _time.GetElapsedTime(stoppedAt) >= Failover - b.RenewalInterval,
                    "b took a's leases before they could have expired");
                _time.Advance(TimeSpan.FromMilliseconds(100));
                return b.HeldLeases.Count == 4;
            },
            () => $"b holds [{string.Join(",", Keys(b))}] {_time.GetElapsedTime(stoppedAt)} after a stopped",
            deadline);
    }
}
