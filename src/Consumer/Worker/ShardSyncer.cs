using Kinesis.Clients.Consumer.Leases;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// Keeps the lease table in step with the stream's shards: creates leases for shards that have none, at the
/// ancestry level the initial position calls for, and deletes finished leases once all their children have
/// started.
/// </summary>
/// <remarks>
/// Rules (the KCL's): a shard whose parent has a lease starts at TRIM_HORIZON and waits for that parent. With
/// TRIM_HORIZON or AT_TIMESTAMP the oldest retained shards of each lineage start at that position, so every
/// retained record is read, parents before children. With LATEST only open shards get leases, at LATEST.
/// </remarks>
internal sealed class ShardSyncer
{
    private readonly Func<CancellationToken, Task<IReadOnlyList<Shard>>> _listShards;
    private readonly ILeaseStore _store;
    private readonly KinesisConsumerOptions _options;
    private readonly ILogger _logger;

    public ShardSyncer(Func<CancellationToken, Task<IReadOnlyList<Shard>>> listShards, ILeaseStore store, KinesisConsumerOptions options, ILogger logger)
    {
        _listShards = listShards;
        _store = store;
        _options = options;
        _logger = logger;
    }

    public async Task SyncAsync(CancellationToken cancellationToken)
    {
        var shards = await _listShards(cancellationToken).ConfigureAwait(false);
        var leases = (await _store.ListAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(l => l.LeaseKey, StringComparer.Ordinal);
        var plan = Plan(shards, leases.Keys.ToHashSet(StringComparer.Ordinal), _options.InitialPosition);
        var created = 0;
        foreach (var lease in plan)
        {
            if (await _store.CreateIfAbsentAsync(lease, cancellationToken).ConfigureAwait(false) is not null)
            {
                created++;
                leases[lease.LeaseKey] = lease;
            }
        }

        if (created > 0)
        {
            ConsumerLog.LeasesCreated(_logger, created, _options.StreamLabel);
        }

        await DeleteFinishedAsync(leases, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The leases to create, parents before children. Pure, for tests.</summary>
    internal static List<Lease> Plan(IReadOnlyList<Shard> shards, IReadOnlySet<string> existing, InitialPosition initial)
    {
        var byId = shards.ToDictionary(s => s.ShardId, StringComparer.Ordinal);
        var leased = new HashSet<string>(existing, StringComparer.Ordinal);
        var plan = new List<Lease>();

        // Shard ids grow with every reshard, so ordinal order visits parents before their children.
        foreach (var shard in shards.OrderBy(s => s.ShardId, StringComparer.Ordinal))
        {
            if (leased.Contains(shard.ShardId))
            {
                continue;
            }

            var parents = new[] { shard.ParentShardId, shard.AdjacentParentShardId }.OfType<string>().ToList();
            ExtendedSequenceNumber? start = null;
            if (parents.Any(leased.Contains))
            {
                start = ExtendedSequenceNumber.TrimHorizon;
            }
            else if (initial.Kind == InitialPositionKind.Latest)
            {
                if (shard.IsOpen)
                {
                    start = ExtendedSequenceNumber.Latest;
                }
            }
            else if (!parents.Any(byId.ContainsKey))
            {
                // The oldest retained shard of its lineage: every record from here on is wanted.
                start = initial.Kind == InitialPositionKind.AtTimestamp ? ExtendedSequenceNumber.AtTimestamp : ExtendedSequenceNumber.TrimHorizon;
            }

            if (start is { } position)
            {
                plan.Add(Lease.ForNewShard(shard.ShardId, position, parents.Where(leased.Contains), shard.HashKeyRange));
                leased.Add(shard.ShardId);
            }
        }

        return plan;
    }

    private async Task DeleteFinishedAsync(Dictionary<string, Lease> leases, CancellationToken cancellationToken)
    {
        foreach (var lease in leases.Values.Where(l => l.IsFinished).ToList())
        {
            var children = lease.ChildShardIds.Count > 0
                ? lease.ChildShardIds
                : leases.Values.Where(l => l.ParentShardIds.Contains(lease.LeaseKey)).Select(l => l.LeaseKey).ToHashSet(StringComparer.Ordinal);
            var started = children.Count > 0 && children.All(c => leases.TryGetValue(c, out var child) && !IsUnstarted(child.Checkpoint));
            if (started && await _store.DeleteAsync(lease.LeaseKey, cancellationToken).ConfigureAwait(false))
            {
                ConsumerLog.FinishedLeaseDeleted(_logger, lease.LeaseKey);
            }
        }
    }

    private static bool IsUnstarted(ExtendedSequenceNumber checkpoint) =>
        checkpoint.IsSentinel && !checkpoint.IsShardEnd;
}
