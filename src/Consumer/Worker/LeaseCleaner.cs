using System.Collections.Concurrent;
using Kinesis.Clients.Consumer.Leases;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// The KCL's LeaseCleanupManager for one worker: on its intervals, or at once when a shard consumer reports a shard
/// that does not exist, reads the table (and the stream's shards when a report waits), asks
/// <see cref="LeaseCleanup.Decide"/> and deletes what it says, each delete conditional on the lease as read.
/// </summary>
/// <remarks>
/// As in the KCL, the first round runs at start, finished leases are looked at only once
/// <see cref="KinesisConsumerOptions.CompletedLeaseCleanupInterval"/> has passed since start or since one was last
/// deleted, and a reported shard that is still listed is looked at again after
/// <see cref="KinesisConsumerOptions.GarbageLeaseCleanupInterval"/> by the same rule. Driven by the worker's loop,
/// on the worker's clock.
/// </remarks>
internal sealed class LeaseCleaner
{
    private readonly ILeaseStore _store;
    private readonly Func<CancellationToken, Task<IReadOnlyList<Shard>>> _listShards;
    private readonly Action<IReadOnlySet<string>> _onListed;
    private readonly KinesisConsumerOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte> _notFound = new(StringComparer.Ordinal);
    private long _nextRun;
    private long _completedSince;
    private long _garbageSince;
    private int _reported;
    private bool _listingFailed;

    public LeaseCleaner(
        ILeaseStore store,
        Func<CancellationToken, Task<IReadOnlyList<Shard>>> listShards,
        Action<IReadOnlySet<string>> onListed,
        KinesisConsumerOptions options,
        ILogger logger)
    {
        _store = store;
        _listShards = listShards;
        _onListed = onListed;
        _options = options;
        _logger = logger;
        _nextRun = _completedSince = _garbageSince = options.TimeProvider.GetTimestamp();
    }

    /// <summary>Whether a round is due: its interval has passed, or a shard was reported missing since the last one.</summary>
    public bool IsDue => Volatile.Read(ref _reported) != 0 || _options.TimeProvider.GetTimestamp() >= _nextRun;

    /// <summary>A shard consumer was told its shard does not exist: check that lease at the next round, which is due at once.</summary>
    public void ReportNotFound(string leaseKey)
    {
        _notFound[leaseKey] = 0;
        Volatile.Write(ref _reported, 1);
    }

    /// <summary>Runs one round.</summary>
    /// <returns>How many leases it deleted.</returns>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        var time = _options.TimeProvider;
        _nextRun = time.GetTimestamp() + (long)(_options.LeaseCleanupInterval.TotalSeconds * time.TimestampFrequency);
        var reported = Interlocked.Exchange(ref _reported, 0) != 0;
        var checkCompleted = _options.CleanupLeasesUponShardCompletion &&
            time.GetElapsedTime(_completedSince) >= _options.CompletedLeaseCleanupInterval;
        var checkGarbage = !_notFound.IsEmpty &&
            (reported || _listingFailed || time.GetElapsedTime(_garbageSince) >= _options.GarbageLeaseCleanupInterval);
        if (!checkCompleted && !checkGarbage)
        {
            return 0;
        }

        var leases = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
        IReadOnlySet<string>? listed = null;
        var notFound = new HashSet<string>(StringComparer.Ordinal);
        if (checkGarbage)
        {
            notFound.UnionWith(_notFound.Keys);

            // A failed listing is retried at the next round, not after the garbage interval.
            _listingFailed = true;
            listed = (await _listShards(cancellationToken).ConfigureAwait(false)).Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
            _listingFailed = false;
            _onListed(listed);
        }

        var decision = LeaseCleanup.Decide(new LeaseCleanupInput(leases, listed, notFound, checkCompleted));
        var deleted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (lease, reason) in decision.Deletions)
        {
            if (await _store.DeleteAsync(lease, cancellationToken).ConfigureAwait(false))
            {
                deleted.Add(lease.LeaseKey);
                ConsumerLog.LeaseDeleted(_logger, lease.LeaseKey, reason == LeaseCleanupReason.Completed
                    ? "its shard was processed to its end and all its children have started"
                    : "its shard does not exist: GetShardIterator says so and the stream no longer lists it");
                if (reason == LeaseCleanupReason.Completed)
                {
                    _completedSince = time.GetTimestamp();
                }
                else
                {
                    _garbageSince = time.GetTimestamp();
                }
            }
        }

        // A report is settled once its lease is gone, by this delete or anyone's.
        var present = leases.Select(l => l.LeaseKey).Where(k => !deleted.Contains(k)).ToHashSet(StringComparer.Ordinal);
        foreach (var key in notFound.Where(k => !present.Contains(k)))
        {
            _notFound.TryRemove(key, out _);
        }

        return deleted.Count;
    }
}
