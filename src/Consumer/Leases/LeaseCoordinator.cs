using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// Holds this worker's share of the lease table: renews held leases every renewal interval, and every take
/// interval (and when a watched lease would expire) lists the table and takes expired, unowned or (for balance)
/// stolen leases, as the Java KCL 2.x lease coordinator does. Checkpoints go through it so they are fenced on the counter of the lease as held.
/// Thread-safe.
/// </summary>
/// <remarks>
/// Expiry is judged by this worker's own monotonic clock only: a held lease whose last successful write was sent
/// a failover time ago is dropped as lost without another write, and is never renewed or checkpointed again,
/// because by then another worker may have taken it.
/// </remarks>
internal sealed partial class LeaseCoordinator : IAsyncDisposable
{
    private readonly ILeaseStore _store;
    private readonly LeaseCoordinatorOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, HeldLease> _held = new(StringComparer.Ordinal);
    private readonly LeaseExpiryTracker _tracker;
    private readonly RenewalFailures _renewalFailures;
    private readonly SemaphoreSlim _takeGate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _lifecycle = new();
    private Task _renewLoop = Task.CompletedTask;
    private Task _takeLoop = Task.CompletedTask;
    private volatile bool _started;
    private volatile bool _takingStopped;
    private volatile bool _disposed;
    private long _roundStartedAt;
    private long _listedAt;
    private TimeSpan? _untilNextExpiry;

    public LeaseCoordinator(ILeaseStore store, LeaseCoordinatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _store = store;
        _options = options;
        _time = options.TimeProvider;
        _logger = options.LoggerFactory?.CreateLogger<LeaseCoordinator>() ?? (ILogger)NullLogger.Instance;
        _tracker = new LeaseExpiryTracker(_time);
        _renewalFailures = new RenewalFailures(options.WorkerId, _time, _logger, options.OnRenewalsFailingChanged);
        RenewalInterval = options.EffectiveRenewalInterval;
        TakeInterval = options.EffectiveTakeInterval;
    }

    public string WorkerId => _options.WorkerId;

    public TimeSpan FailoverTime => _options.FailoverTime;

    public TimeSpan RenewalInterval { get; }

    public TimeSpan TakeInterval { get; }

    /// <summary>Held leases whose renewals are failing now (the table throttled or failing).</summary>
    public int FailingRenewals => _renewalFailures.Count;

    /// <summary>The leases held now; a lease this worker's clock says has expired is left out even before it is dropped.</summary>
    public IReadOnlyList<Lease> HeldLeases =>
        _held.Values.Where(h => !h.IsExpired(_time, FailoverTime)).Select(h => h.Lease).ToList();

    /// <summary>The lease as held, if this worker holds it and its clock says it has not expired.</summary>
    public bool TryGetHeldLease(string leaseKey, [NotNullWhen(true)] out Lease? lease)
    {
        lease = _held.TryGetValue(leaseKey, out var held) && !held.IsExpired(_time, FailoverTime) ? held.Lease : null;
        return lease is not null;
    }

    /// <summary>Starts the renewal and take loops; the first take round runs at once.</summary>
    public void Start()
    {
        lock (_lifecycle)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_started)
            {
                throw new InvalidOperationException($"Lease coordinator of worker {WorkerId} has already been started.");
            }

            _started = true;
            LeaseLog.Started(_logger, WorkerId, FailoverTime, RenewalInterval, TakeInterval, _options.MaxLeasesForWorker, _options.MaxLeasesToStealAtOneTime);
            _renewLoop = Task.Run(() => RenewLoopAsync(_stopping.Token));
            _takeLoop = Task.Run(() => TakeLoopAsync(_stopping.Token));
        }
    }

    /// <summary>
    /// Stops both loops without touching the table: held leases stay owned until they expire, as after a crash.
    /// For a graceful shutdown, checkpoint and call <see cref="ReleaseAllAsync"/> first.
    /// </summary>
    public Task StopAsync() => StopLoopsAsync();

    /// <summary>
    /// Ends taking and stealing at once (a take round in progress takes nothing more); renewals go on, so the held
    /// leases stay this worker's until it checkpoints and releases them.
    /// </summary>
    public void StopTaking() => _takingStopped = true;

    /// <summary>Stops the loops as <see cref="StopAsync"/> does; leases are not released.</summary>
    public async ValueTask DisposeAsync()
    {
        lock (_lifecycle)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
        }

        // The token source is left undisposed: a StopAsync racing with this may still cancel it, and with no
        // timer or linked token it holds nothing to free.
        await StopLoopsAsync().ConfigureAwait(false);
    }

    private async Task StopLoopsAsync()
    {
        _takingStopped = true;
        await _stopping.CancelAsync().ConfigureAwait(false);
        Task loops;
        lock (_lifecycle)
        {
            loops = Task.WhenAll(_renewLoop, _takeLoop);
        }

        try
        {
            await loops.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The loops end by cancellation.
        }
    }

    /// <summary>One take round: list the table, decide with <see cref="LeaseBalancer"/>, take what it says.</summary>
    /// <returns>The decision, or <see langword="null"/> if taking has stopped or the table could not be listed.</returns>
    public async Task<LeaseBalancerDecision?> RunTakeRoundAsync(CancellationToken cancellationToken = default)
    {
        if (_takingStopped)
        {
            return null;
        }

        await _takeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_takingStopped)
            {
                return null;
            }

            _roundStartedAt = _time.GetTimestamp();
            _untilNextExpiry = null;
            var metrics = _options.Metrics;
            var round = new TakeRoundCount();
            try
            {
                return await TakeRoundAsync(round, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                // As the KCL's coordinator: the round failed only when something escaped it.
                metrics?.TookAll(round.Completed, _time.GetElapsedTime(_roundStartedAt), round.Listed, round.Taken, round.Untaken);
            }
        }
        finally
        {
            _takeGate.Release();
        }
    }

    private async Task<LeaseBalancerDecision?> TakeRoundAsync(TakeRoundCount round, CancellationToken cancellationToken)
    {
        IReadOnlyList<Lease> leases;
        var metrics = _options.Metrics;
        try
        {
            leases = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            metrics?.Listed(true, _time.GetElapsedTime(_roundStartedAt));
            round.Listed = true;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            metrics?.Listed(false, _time.GetElapsedTime(_roundStartedAt));
            LeaseLog.ListFailed(_logger, WorkerId, e);
            round.Completed = true;
            return null;
        }

        // Timestamped after the listing arrived, as the KCL does, so a slow scan never ages a lease.
        var now = _time.GetTimestamp();
        _tracker.Observe(leases, now);
        _listedAt = now;
        _untilNextExpiry = _tracker.UntilNextExpiry(
            leases.Where(l => l.LeaseOwner is { } owner && owner != WorkerId && !l.IsFinished && !_held.ContainsKey(l.LeaseKey)).Select(l => l.LeaseKey),
            now,
            FailoverTime);
        var decision = LeaseBalancer.Decide(new LeaseBalancerInput
        {
            Leases = leases,
            WorkerId = WorkerId,
            HeldLeaseKeys = _held.Keys.ToHashSet(StringComparer.Ordinal),
            UnchangedFor = _tracker.Snapshot(now),
            FailoverTime = FailoverTime,
            MaxLeasesForWorker = _options.MaxLeasesForWorker,
            MaxLeasesToStealAtOneTime = _options.MaxLeasesToStealAtOneTime,
            VeryOldLeaseMultiplier = _options.VeryOldLeaseMultiplier,
        });
        LeaseLog.TakeRound(_logger, WorkerId, decision.Leases, decision.Workers, decision.Target, decision.Held, decision.ToTake.Count, decision.ToSteal.Count);
        metrics?.Balanced(decision);
        foreach (var lease in decision.All)
        {
            if (_takingStopped)
            {
                break;
            }

            if (await TakeAsync(lease, cancellationToken).ConfigureAwait(false))
            {
                round.Taken++;
            }
            else
            {
                round.Untaken++;
            }
        }

        round.Completed = true;
        return decision;
    }

    /// <summary>
    /// How long the take loop waits after the last round: until one take interval after that round started, or
    /// until a lease another worker holds would expire by this worker's clock, whichever comes first.
    /// </summary>
    public TimeSpan NextTakeRoundDelay()
    {
        var now = _time.GetTimestamp();
        TimeSpan? untilExpiry = _untilNextExpiry is { } left ? left - _time.GetElapsedTime(_listedAt, now) : null;
        return TakeSchedule.NextDelay(_time.GetElapsedTime(_roundStartedAt, now), TakeInterval, untilExpiry);
    }

    private async Task<bool> TakeAsync(Lease observed, CancellationToken cancellationToken)
    {
        var sentAt = _time.GetTimestamp();
        Lease? taken;
        Exception? failure = null;
        try
        {
            taken = await _store.TakeAsync(observed, WorkerId, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            taken = null;
            failure = e;
        }

        _options.Metrics?.Took(failure is null, _time.GetElapsedTime(sentAt));

        // A take whose reply was lost (the SDK resent it and the resend failed its condition, or every retry
        // failed after the first had landed) leaves the row ours: adopt it now rather than let it sit unrenewed
        // and unprocessed until it expires.
        taken ??= await TakenUnansweredAsync(observed, cancellationToken).ConfigureAwait(false);
        if (taken is null)
        {
            if (failure is not null)
            {
                LeaseLog.WriteFailed(_logger, WorkerId, "take", observed.LeaseKey, failure);
            }
            else
            {
                LeaseLog.TakeRaceLost(_logger, WorkerId, observed.LeaseKey);
            }

            return false;
        }

        _held[taken.LeaseKey] = new HeldLease(taken, sentAt);
        _tracker.Observe(taken, sentAt);
        LeaseLog.Acquired(_logger, WorkerId, taken.LeaseKey, taken.LeaseCounter, observed.LeaseOwner ?? "nobody");
        Notify(_options.OnLeaseAcquired, taken, taken.LeaseKey, nameof(LeaseCoordinatorOptions.OnLeaseAcquired));
        return true;
    }

    private async Task<Lease?> TakenUnansweredAsync(Lease observed, CancellationToken cancellationToken)
    {
        Lease? row;
        try
        {
            row = await _store.GetAsync(observed.LeaseKey, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LeaseLog.WriteFailed(_logger, WorkerId, "read back the take of", observed.LeaseKey, e);
            return null;
        }

        if (row is null || !Landed(LeaseWrites.Taken(observed, WorkerId), row))
        {
            return null;
        }

        LeaseLog.WriteLandedUnanswered(_logger, WorkerId, "take", row.LeaseKey, row.LeaseCounter);
        return row;
    }

    private async Task RenewLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(RenewalInterval, _time);
        var retryDelay = RenewalInterval / 2;
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            var roundStartedAt = _time.GetTimestamp();
            try
            {
                await RunRenewalRoundAsync(cancellationToken).ConfigureAwait(false);

                // A renewal that threw (the table throttled or failing, past the SDK's own retries) is tried once
                // more half an interval later, so the counter moves again soon after an episode ends. Two tries a
                // round, as the KCL's, but spaced: back to back they would both land in the same throttling, and
                // more would only add load to a table that is out of capacity.
                while (_renewalFailures.Count > 0 && _time.GetElapsedTime(roundStartedAt) + retryDelay < RenewalInterval)
                {
                    await Task.Delay(retryDelay, _time, cancellationToken).ConfigureAwait(false);
                    await RetryFailedRenewalsAsync(cancellationToken).ConfigureAwait(false);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LeaseLog.RoundFailed(_logger, WorkerId, "renewal", e);
            }
        }
    }

    // Fixed rate (one round per take interval, not a pause after each), so a slow listing does not add to how long
    // a change in the table goes unseen; rounds never overlap. See TakeSchedule for the early wake at an expiry.
    private async Task TakeLoopAsync(CancellationToken cancellationToken)
    {
        while (!_takingStopped)
        {
            try
            {
                await RunTakeRoundAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                LeaseLog.RoundFailed(_logger, WorkerId, "take", e);
            }

            await Task.Delay(NextTakeRoundDelay(), _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Notify<T>(Action<T>? callback, T argument, string leaseKey, string name)
    {
        if (callback is null)
        {
            return;
        }

        try
        {
            callback(argument);
        }
        catch (Exception e)
        {
            LeaseLog.CallbackFailed(_logger, name, leaseKey, e);
        }
    }

    private sealed class TakeRoundCount
    {
        public bool Completed { get; set; }

        public bool Listed { get; set; }

        public int Taken { get; set; }

        public int Untaken { get; set; }
    }
}
