namespace Kinesis.Clients.Consumer.Leases;

internal sealed partial class LeaseCoordinator
{
    /// <summary>
    /// Renews every held lease once, all at the same time. A lease whose renewal fails its condition is lost; one
    /// this worker's clock says has expired is dropped without a write; one whose renewal throws is kept, to be
    /// retried next round or to expire.
    /// </summary>
    public async Task RunRenewalRoundAsync(CancellationToken cancellationToken = default)
    {
        var startedAt = _time.GetTimestamp();
        int lost = 0, failed = 0;
        await Parallel.ForEachAsync(
            _held.Keys.ToList(),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentRenewals, CancellationToken = cancellationToken },
            async (key, ct) =>
            {
                switch (await RenewAsync(key, ct).ConfigureAwait(false))
                {
                    case false:
                        Interlocked.Increment(ref lost);
                        break;
                    case null:
                        Interlocked.Increment(ref failed);
                        break;
                }
            }).ConfigureAwait(false);

        // As the KCL's renewer: the round fails when a renewal threw (its lease is in an unknown state).
        _options.Metrics?.RenewedAll(failed == 0, _time.GetElapsedTime(startedAt), _held.Count, lost);
    }

    /// <summary>
    /// Checkpoints a held lease, fenced on its counter: <see langword="false"/> if this worker no longer holds it
    /// (then <see cref="LeaseCoordinatorOptions.OnLeaseLost"/> has been raised, now or before). A successful
    /// checkpoint also renews the lease.
    /// </summary>
    /// <exception cref="Exception">The store failed; the lease is still held.</exception>
    public Task<bool> TryCheckpointAsync(string leaseKey, ExtendedSequenceNumber checkpoint, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckPosition(checkpoint, nameof(checkpoint));
        return FencedAsync(
            leaseKey,
            "checkpoint",
            (held, ct) => _store.UpdateCheckpointAsync(held, checkpoint, ct),
            cancellationToken,
            landed: held => LeaseWrites.Checkpointed(held, checkpoint));
    }

    /// <summary>The first half of a two-phase checkpoint, fenced as <see cref="TryCheckpointAsync"/> is.</summary>
    public Task<bool> TryPrepareCheckpointAsync(
        string leaseKey, ExtendedSequenceNumber pendingCheckpoint, byte[]? pendingCheckpointState, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckPosition(pendingCheckpoint, nameof(pendingCheckpoint));
        return FencedAsync(
            leaseKey,
            "prepare a checkpoint of",
            (held, ct) => _store.PrepareCheckpointAsync(held, pendingCheckpoint, pendingCheckpointState, ct),
            cancellationToken,
            landed: held => LeaseWrites.Prepared(held, pendingCheckpoint, pendingCheckpointState));
    }

    /// <summary>Records the children of a held lease's shard (at shard end), fenced as <see cref="TryCheckpointAsync"/> is.</summary>
    public Task<bool> TryUpdateChildShardsAsync(string leaseKey, IReadOnlyCollection<string> childShardIds, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckChildren(childShardIds);
        return FencedAsync(
            leaseKey,
            "record the children of",
            (held, ct) => _store.UpdateChildShardsAsync(held, childShardIds, ct),
            cancellationToken,
            landed: held => LeaseWrites.WithChildren(held, childShardIds.ToHashSet(StringComparer.Ordinal)));
    }

    /// <summary>
    /// Gives up one held lease so any worker can take it at once (a finished lease, or load shedding). A lease not
    /// finished may be taken again in a later take round, by this worker too.
    /// </summary>
    /// <returns><see langword="true"/> if it was released; <see langword="false"/> if it was not held or already lost.</returns>
    public async Task<bool> ReleaseAsync(string leaseKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaseKey);
        return _held.TryGetValue(leaseKey, out var held) && await ReleaseAsync(held, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Graceful shutdown: stops taking leases for good, then releases every held lease so other workers take them
    /// in their next take round instead of after the failover time. Checkpoint before calling this. Leases that
    /// cannot be released (already lost, or the write fails) are dropped and expire for the others as usual.
    /// </summary>
    /// <returns>How many leases were released.</returns>
    public async Task<int> ReleaseAllAsync(CancellationToken cancellationToken = default)
    {
        _takingStopped = true;
        // Waits out a take round in progress, so nothing taken after this point escapes the release.
        await _takeGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var released = await Task.WhenAll(_held.Values.Select(h => ReleaseAsync(h, cancellationToken))).ConfigureAwait(false);
            return released.Count(r => r);
        }
        finally
        {
            _takeGate.Release();
        }
    }

    /// <summary>
    /// Renews each held lease whose last renewal threw, once; the renewal loop calls this half a renewal interval
    /// after a round with failures.
    /// </summary>
    public Task RetryFailedRenewalsAsync(CancellationToken cancellationToken = default) =>
        Parallel.ForEachAsync(
            _renewalFailures.Keys.Where(_held.ContainsKey).ToList(),
            new ParallelOptions { MaxDegreeOfParallelism = _options.MaxConcurrentRenewals, CancellationToken = cancellationToken },
            async (key, ct) => await RenewAsync(key, ct).ConfigureAwait(false));

    /// <summary>
    /// Renews one lease once. A renewal that throws (throttled, 500, reset: what the SDK's own retries left) marks
    /// the lease as failing, for <see cref="RetryFailedRenewalsAsync"/>, the log and the gauge.
    /// </summary>
    /// <returns>Renewed, <see langword="false"/> when lost, <see langword="null"/> when the renewal threw.</returns>
    private async Task<bool?> RenewAsync(string leaseKey, CancellationToken cancellationToken)
    {
        var startedAt = _time.GetTimestamp();
        try
        {
            var renewed = await FencedAsync(leaseKey, "renew", (held, ct) => _store.RenewAsync(held, ct), cancellationToken, landed: LeaseWrites.Renewed)
                .ConfigureAwait(false);
            _renewalFailures.Ended(leaseKey);
            _options.Metrics?.Renewed(true, _time.GetElapsedTime(startedAt));
            return renewed;
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            _renewalFailures.Failed(leaseKey, e);
            _options.Metrics?.Renewed(false, _time.GetElapsedTime(startedAt));
            return null;
        }
    }

    /// <summary>Whether <paramref name="row"/> is what a write meant to leave (<paramref name="want"/>): it landed.</summary>
    private static bool Landed(Lease want, Lease row) =>
        row.LeaseCounter == want.LeaseCounter &&
        row.LeaseOwner == want.LeaseOwner &&
        row.CheckpointOwner == want.CheckpointOwner &&
        row.Checkpoint == want.Checkpoint &&
        row.PendingCheckpoint == want.PendingCheckpoint &&
        row.ChildShardIds.SetEquals(want.ChildShardIds);

    private async Task<bool> ReleaseAsync(HeldLease held, CancellationToken cancellationToken)
    {
        var key = held.Lease.LeaseKey;
        try
        {
            return await FencedAsync(key, "release", (lease, ct) => _store.ReleaseAsync(lease, ct), cancellationToken, releasing: true)
                .ConfigureAwait(false);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            LeaseLog.WriteFailed(_logger, WorkerId, "release", key, e);
            _held.TryRemove(new KeyValuePair<string, HeldLease>(key, held));
            _renewalFailures.Ended(key);
            return false;
        }
    }

    /// <summary>
    /// One write to a held lease, conditional on the counter and owner as held. Never writes once this worker's
    /// clock says the lease has expired. A write whose condition fails means the lease is lost, unless the row
    /// still names this worker: then an earlier write of ours was applied though we never heard back (the SDK
    /// retried it, or the call threw after sending), the row is adopted and the write tried once more.
    /// </summary>
    private async Task<bool> FencedAsync(
        string leaseKey,
        string operation,
        Func<Lease, CancellationToken, Task<Lease?>> write,
        CancellationToken cancellationToken,
        bool releasing = false,
        Func<Lease, Lease>? landed = null)
    {
        ArgumentNullException.ThrowIfNull(leaseKey);
        if (!_held.TryGetValue(leaseKey, out var held))
        {
            return false;
        }

        string lostBecause;
        await held.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_held.TryGetValue(leaseKey, out var current) || !ReferenceEquals(current, held))
            {
                // Lost, released or taken again while this write waited for the previous one.
                return false;
            }

            for (var attempt = 1; ; attempt++)
            {
                if (held.IsExpired(_time, FailoverTime))
                {
                    lostBecause = $"this worker's clock says it expired ({_time.GetElapsedTime(held.WrittenAt).TotalMilliseconds:0} ms since its last successful write, failover time {FailoverTime.TotalMilliseconds:0} ms); not trying to {operation} it";
                    break;
                }

                var sentAt = _time.GetTimestamp();
                var expectedCounter = held.Lease.LeaseCounter;
                var written = await write(held.Lease, cancellationToken).ConfigureAwait(false);
                if (written is not null)
                {
                    if (releasing)
                    {
                        _held.TryRemove(new KeyValuePair<string, HeldLease>(leaseKey, held));
                        _renewalFailures.Ended(leaseKey);
                        LeaseLog.Released(_logger, WorkerId, leaseKey);
                    }
                    else
                    {
                        held.Update(written, sentAt);
                    }

                    return true;
                }

                var row = attempt == 1 ? await _store.GetAsync(leaseKey, cancellationToken).ConfigureAwait(false) : null;
                if (releasing && row is not null && row.LeaseCounter == expectedCounter + 1 &&
                    row.ActualOwner == LeaseWrites.Unowned(held.Lease).ActualOwner)
                {
                    // Our release landed; only its reply was lost.
                    _held.TryRemove(new KeyValuePair<string, HeldLease>(leaseKey, held));
                    _renewalFailures.Ended(leaseKey);
                    LeaseLog.Released(_logger, WorkerId, leaseKey);
                    return true;
                }

                if (row is not null && landed is not null && Landed(landed(held.Lease), row))
                {
                    // This very write landed and only its reply was lost (the SDK resent it and the resend failed
                    // its condition on our own counter): done, not written a second time. Timed from this
                    // attempt's send, which is no later than when it landed.
                    held.Update(row, sentAt);
                    LeaseLog.WriteLandedUnanswered(_logger, WorkerId, operation, leaseKey, row.LeaseCounter);
                    return true;
                }

                if (row is not null && IsHandoffOf(held.Lease, row))
                {
                    // A KCL 3.x leader asked this worker to hand the lease over: it keeps renewing and may still
                    // checkpoint until its processor has shut down and it transfers the lease (a release).
                    held.Update(row, held.WrittenAt);
                    LeaseLog.HandoffRequested(_logger, WorkerId, leaseKey, row.LeaseOwner ?? "nobody");
                    Notify(_options.OnLeaseHandoffRequested, leaseKey, leaseKey, nameof(LeaseCoordinatorOptions.OnLeaseHandoffRequested));
                    continue;
                }

                if (row is null || row.ActualOwner != WorkerId || row.LeaseCounter <= expectedCounter)
                {
                    lostBecause = row is null
                        ? attempt == 1
                            ? $"could not {operation} it: it has been deleted"
                            : $"could not {operation} it: its counter is no longer {expectedCounter} with owner {WorkerId}"
                        : $"could not {operation} it: the table has counter {row.LeaseCounter} and owner {row.LeaseOwner ?? "none"}, not counter {expectedCounter} and owner {WorkerId}";
                    break;
                }

                // Still ours: worker ids are unique, and only a take (or a handoff, above) changes the owner. The
                // write time is left as it was, because the write we never heard back from may have landed any
                // time since then.
                held.Update(row, held.WrittenAt);
            }

            _held.TryRemove(new KeyValuePair<string, HeldLease>(leaseKey, held));
            _renewalFailures.Ended(leaseKey);
        }
        finally
        {
            held.Gate.Release();
        }

        LeaseLog.Lost(_logger, WorkerId, leaseKey, lostBecause);
        Notify(_options.OnLeaseLost, leaseKey, leaseKey, nameof(LeaseCoordinatorOptions.OnLeaseLost));
        return false;
    }

    /// <summary>
    /// Whether the row differs from the lease as held only by a handoff started since: the same counter, this worker
    /// as <c>checkpointOwner</c> and another as <c>leaseOwner</c>.
    /// </summary>
    private bool IsHandoffOf(Lease held, Lease row) =>
        held.CheckpointOwner is null &&
        row.CheckpointOwner == WorkerId &&
        row.LeaseOwner is not null && row.LeaseOwner != WorkerId &&
        row.LeaseCounter == held.LeaseCounter;
}
