using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Tests.Leases;

/// <summary>
/// An in-memory table whose next call of one kind behaves like an SDK retry after a lost reply: the write is
/// applied, its reply dropped, and the same call sent again, which then fails its condition against the first.
/// </summary>
internal sealed class LostReplyLeaseStore(InMemoryLeaseStore inner) : ILeaseStore
{
    private string? _next;

    public void LoseNextReply(string operation) => _next = operation;

    private async Task<Lease?> MaybeTwiceAsync(string operation, Func<Task<Lease?>> call)
    {
        if (Interlocked.CompareExchange(ref _next, null, operation) == operation)
        {
            await call();
        }

        return await call();
    }

    public Task<bool> CreateTableIfNotExistsAsync(CancellationToken cancellationToken = default) => inner.CreateTableIfNotExistsAsync(cancellationToken);

    public Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken = default) => inner.ListAsync(cancellationToken);

    public Task<Lease?> GetAsync(string leaseKey, CancellationToken cancellationToken = default) => inner.GetAsync(leaseKey, cancellationToken);

    public Task<Lease?> CreateIfAbsentAsync(Lease lease, CancellationToken cancellationToken = default) => inner.CreateIfAbsentAsync(lease, cancellationToken);

    public Task<Lease?> RenewAsync(Lease held, CancellationToken cancellationToken = default) =>
        MaybeTwiceAsync("Renew", () => inner.RenewAsync(held, cancellationToken));

    public Task<Lease?> TakeAsync(Lease observed, string newOwner, CancellationToken cancellationToken = default) =>
        MaybeTwiceAsync("Take", () => inner.TakeAsync(observed, newOwner, cancellationToken));

    public Task<Lease?> EvictAsync(Lease observed, CancellationToken cancellationToken = default) => inner.EvictAsync(observed, cancellationToken);

    public Task<Lease?> ReleaseAsync(Lease held, CancellationToken cancellationToken = default) =>
        MaybeTwiceAsync("Release", () => inner.ReleaseAsync(held, cancellationToken));

    public Task<Lease?> UpdateCheckpointAsync(Lease held, ExtendedSequenceNumber checkpoint, CancellationToken cancellationToken = default) =>
        MaybeTwiceAsync("UpdateCheckpoint", () => inner.UpdateCheckpointAsync(held, checkpoint, cancellationToken));

    public Task<Lease?> PrepareCheckpointAsync(
        Lease held, ExtendedSequenceNumber pendingCheckpoint, byte[]? pendingCheckpointState, CancellationToken cancellationToken = default) =>
        inner.PrepareCheckpointAsync(held, pendingCheckpoint, pendingCheckpointState, cancellationToken);

    public Task<Lease?> UpdateChildShardsAsync(Lease held, IReadOnlyCollection<string> childShardIds, CancellationToken cancellationToken = default) =>
        inner.UpdateChildShardsAsync(held, childShardIds, cancellationToken);

    public Task<bool> DeleteAsync(Lease observed, CancellationToken cancellationToken = default) => inner.DeleteAsync(observed, cancellationToken);
}
