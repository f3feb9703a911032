using Kinesis.Clients.Consumer.Leases;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// Keeps the lease table in step with the stream's shards: creates leases for shards that have none, at the
/// ancestry level the initial position calls for. Finished and missing shards' leases are the
/// <see cref="LeaseCleaner"/>'s.
/// </summary>
/// <remarks>
/// Rules (the KCL's HierarchicalShardSyncer): a shard whose parent already has a lease starts at TRIM_HORIZON and
/// waits for that parent (the KCL's child lease at the parent's SHARD_END). With TRIM_HORIZON or AT_TIMESTAMP the
/// oldest retained shards of each lineage start at that position, and their descendants created in the same pass
/// at that position too, so every retained record is read (from the timestamp on), parents before children. With
/// LATEST only open shards get leases, at LATEST.
/// </remarks>
internal sealed class ShardSyncer
{
    private readonly Func<CancellationToken, Task<IReadOnlyList<Shard>>> _listShards;
    private readonly ILeaseStore _store;
    private readonly ILogger _logger;
    private readonly InitialPosition _initial;
    private readonly string _streamLabel;
    private readonly TimeProvider _time;

    public ShardSyncer(
        Func<CancellationToken, Task<IReadOnlyList<Shard>>> listShards,
        ILeaseStore store,
        KinesisConsumerOptions options,
        ILogger logger,
        InitialPosition? initial = null,
        string? streamLabel = null)
    {
        _listShards = listShards;
        _store = store;
        _logger = logger;
        _initial = initial ?? options.InitialPosition;
        _streamLabel = streamLabel ?? options.StreamLabel;
        _time = options.TimeProvider;
    }

    /// <summary>Where the leases written are counted (the KCL's ShardSyncTask CreateLease metrics). <value>Default: nowhere.</value></summary>
    public ConsumerMetrics? Metrics { get; init; }

    /// <summary>The stream synced, as the metrics name it. <value>Default: the options' stream.</value></summary>
    public StreamIdentifier? Stream { get; init; }

    /// <returns>The shards the stream listed.</returns>
    public async Task<IReadOnlyList<Shard>> SyncAsync(CancellationToken cancellationToken)
    {
        var shards = await _listShards(cancellationToken).ConfigureAwait(false);
        var leases = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        var plan = Plan(shards, leases.Select(l => l.LeaseKey).ToHashSet(StringComparer.Ordinal), _initial);
        var created = 0;
        foreach (var lease in plan)
        {
            var creatingAt = _time.GetTimestamp();
            var answered = false;
            try
            {
                if (await _store.CreateIfAbsentAsync(lease, cancellationToken).ConfigureAwait(false) is not null)
                {
                    created++;
                }

                answered = true;
            }
            finally
            {
                Metrics?.LeaseCreated(ConsumerTags.ShardSyncTask, Stream ?? StreamIdentifier.SingleStream(_streamLabel), lease.Checkpoint, answered, _time.GetElapsedTime(creatingAt));
            }
        }

        if (created > 0)
        {
            ConsumerLog.LeasesCreated(_logger, created, _streamLabel);
        }

        return shards;
    }

    /// <summary>The leases to create, parents before children. Pure, for tests.</summary>
    internal static List<Lease> Plan(IReadOnlyList<Shard> shards, IReadOnlySet<string> existing, InitialPosition initial)
    {
        var byId = shards.ToDictionary(s => s.ShardId, StringComparer.Ordinal);
        var leased = new HashSet<string>(existing, StringComparer.Ordinal);
        var plan = new List<Lease>();
        var planned = new Dictionary<string, ExtendedSequenceNumber>(StringComparer.Ordinal);
        var finished = ShardsBehindLeases(shards, existing);

        // Shard ids grow with every reshard, so ordinal order visits parents before their children.
        foreach (var shard in shards.OrderBy(s => s.ShardId, StringComparer.Ordinal))
        {
            if (leased.Contains(shard.ShardId) || finished.Contains(shard.ShardId))
            {
                continue;
            }

            var parents = new[] { shard.ParentShardId, shard.AdjacentParentShardId }.OfType<string>().ToList();
            ExtendedSequenceNumber? start = null;
            if (parents.Any(p => existing.Contains(p) || finished.Contains(p)))
            {
                start = ExtendedSequenceNumber.TrimHorizon;
            }
            else if (parents.Any(leased.Contains))
            {
                // A parent planned in this pass: below a lineage new to the table (its oldest shard at AT_TIMESTAMP)
                // the descendants are read from the timestamp too, as the KCL's leases for a new table are; below
                // an existing lease, from TRIM_HORIZON, as the KCL's child lease made at the parent's SHARD_END.
                start = parents.Any(p => planned.TryGetValue(p, out var at) && at.SequenceNumber == ExtendedSequenceNumber.AtTimestampValue)
                    ? ExtendedSequenceNumber.AtTimestamp
                    : ExtendedSequenceNumber.TrimHorizon;
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
                planned[shard.ShardId] = position;
            }
        }

        return plan;
    }

    /// <summary>
    /// The unleased shards a leased shard descends from. Their leases were there once: a child gets its lease at its
    /// parent's SHARD_END (or in the same pass), and the lease cleanup deletes a parent's only after its children
    /// started. Such a shard is done; a new lease would read it again from the start, after its children.
    /// </summary>
    private static HashSet<string> ShardsBehindLeases(IReadOnlyList<Shard> shards, IReadOnlySet<string> existing)
    {
        var parentsOf = shards.ToDictionary(
            s => s.ShardId,
            s => new[] { s.ParentShardId, s.AdjacentParentShardId }.OfType<string>().ToArray(),
            StringComparer.Ordinal);
        var behind = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>(shards.Select(s => s.ShardId).Where(existing.Contains));
        while (pending.TryPop(out var shardId))
        {
            foreach (var parent in parentsOf.GetValueOrDefault(shardId, []))
            {
                if (!existing.Contains(parent) && behind.Add(parent))
                {
                    pending.Push(parent);
                }
            }
        }

        return behind;
    }
}
