using System.Collections.Concurrent;
using Kinesis.Clients.Consumer.Leases;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>
/// A KCL 3.x graceful handoff as the lease coordinator lives it (fake clock, in-memory table): the holder learns of
/// it from its next renewal, keeps the lease and may checkpoint, and its release hands the lease to the next owner.
/// </summary>
public sealed class LeaseCoordinatorHandoffTests
{
    private const int Timeout = 30_000;
    private readonly FakeTimeProvider _time = new();
    private readonly InMemoryLeaseStore _store = new();
    private readonly ConcurrentQueue<string> _events = new();

    private LeaseCoordinator Worker(string id) => new(_store, new LeaseCoordinatorOptions
    {
        WorkerId = id,
        TimeProvider = _time,
        OnLeaseAcquired = lease => _events.Enqueue($"{id} took {lease.LeaseKey}"),
        OnLeaseLost = key => _events.Enqueue($"{id} lost {key}"),
        OnLeaseHandoffRequested = key => _events.Enqueue($"{id} hands over {key}"),
    });

    private async Task<LeaseCoordinator> HoldingAsync(string id, string key)
    {
        await _store.CreateIfAbsentAsync(Lease.ForNewShard(key, ExtendedSequenceNumber.TrimHorizon));
        var worker = Worker(id);
        await worker.RunTakeRoundAsync();
        Assert.True(worker.TryGetHeldLease(key, out _));
        return worker;
    }

    [Fact(Timeout = Timeout)]
    public async Task The_holder_learns_of_a_handoff_at_its_next_renewal_and_keeps_renewing_and_checkpointing()
    {
        var a = await HoldingAsync("a", "s0");
        Assert.NotNull(await _store.InitiateHandoffAsync("s0", "b"));

        _time.Advance(a.RenewalInterval);
        await a.RunRenewalRoundAsync();

        Assert.Equal(["a took s0", "a hands over s0"], _events);
        Assert.True(a.TryGetHeldLease("s0", out var held));
        Assert.Equal(("b", "a", 2L), (held.LeaseOwner, held.CheckpointOwner, held.LeaseCounter));

        var checkpoint = new ExtendedSequenceNumber("49590338271490256608559692538361571095921575989136588898");
        Assert.True(await a.TryCheckpointAsync("s0", checkpoint));
        _time.Advance(a.RenewalInterval);
        await a.RunRenewalRoundAsync();

        var row = (await _store.GetAsync("s0"))!;
        Assert.Equal(("b", "a", 4L, checkpoint), (row.LeaseOwner, row.CheckpointOwner, row.LeaseCounter, row.Checkpoint));
        Assert.DoesNotContain(_events, e => e.Contains("lost", StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task Releasing_after_the_handoff_gives_the_lease_to_the_next_owner_who_takes_it_at_once()
    {
        var a = await HoldingAsync("a", "s0");
        await _store.InitiateHandoffAsync("s0", "b");
        _time.Advance(a.RenewalInterval);
        await a.RunRenewalRoundAsync();

        Assert.True(await a.ReleaseAsync("s0"));

        var row = (await _store.GetAsync("s0"))!;
        Assert.Equal(("b", (string?)null, 3L), (row.LeaseOwner, row.CheckpointOwner, row.LeaseCounter));
        Assert.Empty(a.HeldLeases);

        var b = Worker("b");
        await b.RunTakeRoundAsync();
        Assert.True(b.TryGetHeldLease("s0", out var taken));
        Assert.Equal(4, taken.LeaseCounter);
        Assert.DoesNotContain(_events, e => e.Contains("lost", StringComparison.Ordinal));
    }

    [Fact(Timeout = Timeout)]
    public async Task The_next_owner_waits_while_the_checkpoint_owner_renews_and_takes_over_when_it_stops()
    {
        var a = await HoldingAsync("a", "s0");
        await _store.InitiateHandoffAsync("s0", "b");
        var b = Worker("b");

        for (var i = 0; i < 4; i++)
        {
            _time.Advance(a.RenewalInterval);
            await a.RunRenewalRoundAsync();
            Assert.True((await b.RunTakeRoundAsync())!.IsEmpty);
        }

        // The checkpoint owner crashed without transferring: the lease expires and a take ends the handoff.
        _time.Advance(b.FailoverTime + TimeSpan.FromMilliseconds(1));
        await b.RunTakeRoundAsync();

        Assert.True(b.TryGetHeldLease("s0", out var taken));
        Assert.Null(taken.CheckpointOwner);
        Assert.Null((await _store.GetAsync("s0"))!.CheckpointOwner);
    }
}
