using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>
/// A lease table in memory with the same conditional semantics as <see cref="DynamoDbLeaseStore"/> (the same
/// contract tests run against both), for the lease coordinator's tests. Thread-safe; every write is
/// atomic, as a DynamoDB conditional write is.
/// </summary>
internal sealed class InMemoryLeaseStore : ILeaseStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, Lease> _rows = new(StringComparer.Ordinal);
    private bool _tableCreated;

    /// <summary>
    /// Called before every operation with its name (e.g. <c>"Renew"</c>) and lease key (empty for table-wide ones);
    /// an exception it returns is thrown instead of running the operation, as a failing DynamoDB call would.
    /// </summary>
    public Func<string, string, Exception?>? Faults { get; set; }

    public Task<bool> CreateTableIfNotExistsAsync(CancellationToken cancellationToken = default) =>
        Run("CreateTable", "", () =>
        {
            var created = !_tableCreated;
            _tableCreated = true;
            return created;
        }, cancellationToken);

    public Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken = default) =>
        Run<IReadOnlyList<Lease>>("List", "", () => [.. _rows.Values], cancellationToken);

    public Task<Lease?> GetAsync(string leaseKey, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckKey(leaseKey, nameof(leaseKey));
        return Run("Get", leaseKey, () => _rows.GetValueOrDefault(leaseKey), cancellationToken);
    }

    public Task<Lease?> CreateIfAbsentAsync(Lease lease, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckNew(lease);
        return Run("CreateIfAbsent", lease.LeaseKey, () =>
        {
            if (_rows.ContainsKey(lease.LeaseKey))
            {
                return null;
            }

            // Copied so a caller changing its state bytes afterwards cannot change the row.
            var row = lease with { PendingCheckpointState = (byte[]?)lease.PendingCheckpointState?.Clone() };
            _rows[lease.LeaseKey] = row;
            return row;
        }, cancellationToken);
    }

    public Task<Lease?> RenewAsync(Lease held, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckHeld(held);
        return Fenced("Renew", held, LeaseWrites.Renewed, cancellationToken);
    }

    public Task<Lease?> TakeAsync(Lease observed, string newOwner, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observed);
        LeaseWrites.CheckKey(observed.LeaseKey, nameof(observed));
        LeaseWrites.CheckOwner(newOwner, nameof(newOwner));
        return Write("Take", observed.LeaseKey,
            row => row.LeaseCounter == observed.LeaseCounter,
            row => LeaseWrites.Taken(row, newOwner),
            cancellationToken);
    }

    public Task<Lease?> EvictAsync(Lease observed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observed);
        LeaseWrites.CheckKey(observed.LeaseKey, nameof(observed));
        return Write("Evict", observed.LeaseKey,
            row => observed.LeaseOwner is not null && row.LeaseOwner == observed.LeaseOwner && row.CheckpointOwner == observed.CheckpointOwner,
            LeaseWrites.Unowned,
            cancellationToken);
    }

    public Task<Lease?> ReleaseAsync(Lease held, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckHeld(held);
        return Fenced("Release", held, LeaseWrites.Unowned, cancellationToken);
    }

    public Task<Lease?> UpdateCheckpointAsync(Lease held, ExtendedSequenceNumber checkpoint, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckHeld(held);
        LeaseWrites.CheckPosition(checkpoint, nameof(checkpoint));
        return Fenced("UpdateCheckpoint", held, row => LeaseWrites.Checkpointed(row, checkpoint), cancellationToken);
    }

    public Task<Lease?> PrepareCheckpointAsync(
        Lease held, ExtendedSequenceNumber pendingCheckpoint, byte[]? pendingCheckpointState, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckHeld(held);
        LeaseWrites.CheckPosition(pendingCheckpoint, nameof(pendingCheckpoint));
        return Fenced("PrepareCheckpoint", held,
            row => LeaseWrites.Prepared(row, pendingCheckpoint, pendingCheckpointState),
            cancellationToken);
    }

    public Task<Lease?> UpdateChildShardsAsync(Lease held, IReadOnlyCollection<string> childShardIds, CancellationToken cancellationToken = default)
    {
        LeaseWrites.CheckHeld(held);
        var children = LeaseWrites.CheckChildren(childShardIds);
        return Fenced("UpdateChildShards", held, row => LeaseWrites.WithChildren(row, children), cancellationToken);
    }

    /// <summary>
    /// What a KCL 3.x leader writes to start a graceful handoff: the next owner as <c>leaseOwner</c>, the current one
    /// as <c>checkpointOwner</c>, the counter untouched; only while the lease has an owner and no handoff.
    /// </summary>
    public Task<Lease?> InitiateHandoffAsync(string leaseKey, string newOwner) =>
        Write("InitiateHandoff", leaseKey,
            row => row.LeaseOwner is not null && row.CheckpointOwner is null,
            row => row with { CheckpointOwner = row.LeaseOwner, LeaseOwner = newOwner },
            CancellationToken.None);

    public Task<bool> DeleteAsync(Lease observed, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observed);
        LeaseWrites.CheckKey(observed.LeaseKey, nameof(observed));
        return Run("Delete", observed.LeaseKey, () =>
            _rows.TryGetValue(observed.LeaseKey, out var row) &&
            row.LeaseCounter == observed.LeaseCounter && row.LeaseOwner == observed.LeaseOwner && row.Checkpoint.SequenceNumber == observed.Checkpoint.SequenceNumber &&
            _rows.Remove(observed.LeaseKey), cancellationToken);
    }

    private Task<Lease?> Fenced(string operation, Lease held, Func<Lease, Lease> change, CancellationToken cancellationToken) =>
        Write(operation, held.LeaseKey,
            row => row.LeaseCounter == held.LeaseCounter && row.LeaseOwner == held.LeaseOwner && row.CheckpointOwner == held.CheckpointOwner,
            change,
            cancellationToken);

    private Task<Lease?> Write(
        string operation, string leaseKey, Func<Lease, bool> condition, Func<Lease, Lease> change, CancellationToken cancellationToken) =>
        Run(operation, leaseKey, () =>
        {
            // A missing row fails the condition, as an UpdateItem condition on an absent item does.
            if (!_rows.TryGetValue(leaseKey, out var row) || !condition(row))
            {
                return null;
            }

            var updated = change(row);
            _rows[leaseKey] = updated;
            return updated;
        }, cancellationToken);

    private Task<T> Run<T>(string operation, string leaseKey, Func<T> body, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        if (Faults?.Invoke(operation, leaseKey) is { } fault)
        {
            return Task.FromException<T>(fault);
        }

        lock (_gate)
        {
            return Task.FromResult(body());
        }
    }
}
