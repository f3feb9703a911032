using Kinesis.Clients.Consumer.Leases;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// One stream's leases in a multi-stream table, keyed by shard id: what the shard sync, the lease cleanup and a shard
/// consumer's lineage checks read and write, so that they work per stream as they do on a single-stream table.
/// Writes go to <c>account:stream:creationEpoch:shardId</c> with the <c>streamName</c> and <c>shardId</c> attributes.
/// Parent and child shard ids stay plain shard ids, as the KCL keeps them.
/// </summary>
internal sealed class StreamLeaseView : ILeaseStore
{
    private readonly ILeaseStore _table;
    private readonly StreamIdentifier _stream;
    private readonly string _serialized;

    public StreamLeaseView(ILeaseStore table, StreamIdentifier stream)
    {
        _table = table;
        _stream = stream;
        _serialized = stream.Serialize();
    }

    /// <summary>A table lease of this stream as the view shows it: keyed by its shard id.</summary>
    public static Lease ToView(Lease lease) => lease with { LeaseKey = lease.ShardIdOrKey };

    public Lease ToTable(Lease lease) =>
        lease with { LeaseKey = MultiStreamLeaseKey.Format(_stream, lease.LeaseKey), StreamIdentifier = _serialized, ShardId = lease.LeaseKey };

    public Task<bool> CreateTableIfNotExistsAsync(CancellationToken cancellationToken = default) => _table.CreateTableIfNotExistsAsync(cancellationToken);

    public async Task<IReadOnlyList<Lease>> ListAsync(CancellationToken cancellationToken = default) =>
        (await _table.ListAsync(cancellationToken).ConfigureAwait(false)).Where(l => l.StreamIdentifier == _serialized).Select(ToView).ToList();

    public async Task<Lease?> GetAsync(string leaseKey, CancellationToken cancellationToken = default) =>
        View(await _table.GetAsync(MultiStreamLeaseKey.Format(_stream, leaseKey), cancellationToken).ConfigureAwait(false));

    public async Task<Lease?> CreateIfAbsentAsync(Lease lease, CancellationToken cancellationToken = default) =>
        View(await _table.CreateIfAbsentAsync(ToTable(lease), cancellationToken).ConfigureAwait(false));

    public async Task<Lease?> RenewAsync(Lease held, CancellationToken cancellationToken = default) =>
        View(await _table.RenewAsync(ToTable(held), cancellationToken).ConfigureAwait(false));

    public async Task<Lease?> TakeAsync(Lease observed, string newOwner, CancellationToken cancellationToken = default) =>
        View(await _table.TakeAsync(ToTable(observed), newOwner, cancellationToken).ConfigureAwait(false));

    public async Task<Lease?> EvictAsync(Lease observed, CancellationToken cancellationToken = default) =>
        View(await _table.EvictAsync(ToTable(observed), cancellationToken).ConfigureAwait(false));

    public async Task<Lease?> ReleaseAsync(Lease held, CancellationToken cancellationToken = default) =>
        View(await _table.ReleaseAsync(ToTable(held), cancellationToken).ConfigureAwait(false));

    public async Task<Lease?> UpdateCheckpointAsync(Lease held, ExtendedSequenceNumber checkpoint, CancellationToken cancellationToken = default) =>
        View(await _table.UpdateCheckpointAsync(ToTable(held), checkpoint, cancellationToken).ConfigureAwait(false));

    public async Task<Lease?> PrepareCheckpointAsync(
        Lease held, ExtendedSequenceNumber pendingCheckpoint, byte[]? pendingCheckpointState, CancellationToken cancellationToken = default) =>
        View(await _table.PrepareCheckpointAsync(ToTable(held), pendingCheckpoint, pendingCheckpointState, cancellationToken).ConfigureAwait(false));

    public async Task<Lease?> UpdateChildShardsAsync(Lease held, IReadOnlyCollection<string> childShardIds, CancellationToken cancellationToken = default) =>
        View(await _table.UpdateChildShardsAsync(ToTable(held), childShardIds, cancellationToken).ConfigureAwait(false));

    public Task<bool> DeleteAsync(Lease observed, CancellationToken cancellationToken = default) => _table.DeleteAsync(ToTable(observed), cancellationToken);

    private static Lease? View(Lease? lease) => lease is null ? null : ToView(lease);
}
