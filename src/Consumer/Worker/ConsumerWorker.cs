using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// One worker's loop over any <see cref="ILeaseStore"/>: keeps the shard leases in sync with the stream, holds leases
/// through a <see cref="LeaseCoordinator"/>, runs a <see cref="ShardConsumer"/> per held lease and shuts down
/// gracefully (processors checkpoint, then the leases are released). The decisions it takes live in
/// <see cref="AcquiredLeaseState"/>, <see cref="ShardSyncer.Plan"/>, <see cref="LeaseCleanup"/> and the lease balancer; this class only wires
/// events to them, so it runs the same on DynamoDB or on the in-memory store with a fake clock.
/// </summary>
internal sealed partial class ConsumerWorker
{
    private readonly KinesisConsumerOptions _options;
    private readonly ILeaseStore _store;
    private readonly Func<CancellationToken, Task<IReadOnlyList<Shard>>> _listShards;
    private readonly Func<string, HashKeyRange?, StartingPosition, IShardRecordSource> _createSource;
    private readonly IRecordProcessorFactory _factory;
    private readonly ConsumerMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ShardConsumer> _running;
    private readonly Dictionary<string, StreamState> _streams = new(StringComparer.Ordinal);
    private readonly WakeSignal _wake = new();
    private LeaseCoordinator? _leases;
    private StealAwareLeaseStore? _tracked;

    public ConsumerWorker(
        KinesisConsumerOptions options,
        ILeaseStore store,
        Func<CancellationToken, Task<IReadOnlyList<Shard>>> listShards,
        Func<string, HashKeyRange?, StartingPosition, IShardRecordSource> createSource,
        IRecordProcessorFactory factory,
        ConsumerMetrics metrics,
        ConcurrentDictionary<string, ShardConsumer> running,
        ILogger logger)
    {
        _options = options;
        _store = store;
        _listShards = listShards;
        _createSource = createSource;
        _factory = factory;
        _metrics = metrics;
        _running = running;
        _logger = logger;
    }

    /// <summary>Writes records to the dead-letter stream (<see cref="FailedBatchAction.DeadLetter"/>).</summary>
    public Func<StreamIdentifier, FailedBatch, CancellationToken, Task>? WriteDeadLetters { get; init; }

    /// <summary>Multi-stream mode: the streams and how to reach them; <see langword="null"/> for one stream.</summary>
    public StreamAccess? MultiStream { get; init; }

    /// <summary>
    /// Runs until <paramref name="cancellationToken"/> is cancelled, then shuts down gracefully; also shuts down, then
    /// throws <see cref="InvalidOperationException"/>, when the KCL fleet on the table switches to its leader protocol.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var options = _options;
        var wake = _wake;
        var acquired = new ConcurrentQueue<Lease>();
        var lost = new ConcurrentQueue<string>();
        var handoffs = new ConcurrentQueue<string>();
        var tracked = new StealAwareLeaseStore(_store, options.FailoverTime, options.TimeProvider);
        var leases = new LeaseCoordinator(tracked, new LeaseCoordinatorOptions
        {
            WorkerId = options.WorkerId,
            FailoverTime = options.FailoverTime,
            RenewalInterval = options.EffectiveRenewalInterval,
            MaxLeasesForWorker = options.MaxLeasesForWorker,
            MaxLeasesToStealAtOneTime = options.MaxLeasesToStealAtOneTime,

            TakeInterval = options.EffectiveTakeInterval,
            OnLeaseAcquired = lease =>
            {
                acquired.Enqueue(lease);
                wake.Set();
            },
            OnLeaseLost = key =>
            {
                lost.Enqueue(key);
                wake.Set();
            },
            OnLeaseHandoffRequested = key =>
            {
                handoffs.Enqueue(key);
                wake.Set();
            },
            OnRenewalsFailingChanged = _metrics.RenewalsFailing,
            Metrics = _metrics,
            TimeProvider = options.TimeProvider,
            LoggerFactory = options.LoggerFactory,
        });
        await using var leasesScope = leases.ConfigureAwait(false);
        _leases = leases;
        _tracked = tracked;

        ConsumerLog.WorkerStarted(_logger, options.WorkerId, options.StreamLabel, options.ApplicationName);
        if (MultiStream is null)
        {
            var single = NewStream(StreamIdentifier.SingleStream(options.StreamLabel), _store, options.InitialPosition, _listShards, _createSource, tracked: true);
            _streams[""] = single;
        }
        else
        {
            await SyncStreamsAsync(cancellationToken).ConfigureAwait(false);
        }

        await SyncShardsAsync(cancellationToken).ConfigureAwait(false);
        leases.Start();
        var nextSync = options.TimeProvider.GetTimestamp();
        var nextStreamSync = options.TimeProvider.GetTimestamp() + Ticks(MultiStream?.Tracker.StreamSyncInterval ?? TimeSpan.Zero);
        var nextFleetWatch = options.TimeProvider.GetTimestamp() + Ticks(options.ClientVersionMonitorInterval);
        var waiting = new List<Lease>();
        FleetClientVersion? leaderFleet = null;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                wake.Reset();
                while (lost.TryDequeue(out var key))
                {
                    if (_running.TryGetValue(key, out var consumer))
                    {
                        consumer.LoseLease();
                    }
                }

                while (handoffs.TryDequeue(out var key))
                {
                    if (_running.TryGetValue(key, out var consumer))
                    {
                        consumer.HandOff();
                    }
                    else
                    {
                        // Nothing processed yet (waiting for parents): nothing to checkpoint, so transfer at once.
                        waiting.RemoveAll(l => l.LeaseKey == key);
                        await leases.ReleaseAsync(key, CancellationToken.None).ConfigureAwait(false);
                    }
                }

                while (acquired.TryDequeue(out var lease))
                {
                    if (!lease.IsFinished)
                    {
                        waiting.Add(lease);
                    }
                }

                waiting.RemoveAll(lease => StartOrWait(leases, lease));

                if (MultiStream is not null && options.TimeProvider.GetTimestamp() >= nextStreamSync)
                {
                    await SyncStreamsAsync(cancellationToken).ConfigureAwait(false);
                    nextStreamSync = options.TimeProvider.GetTimestamp() + Ticks(MultiStream.Tracker.StreamSyncInterval);
                }

                if (ReadFleetClientVersion is not null && options.TimeProvider.GetElapsedTime(nextFleetWatch) >= TimeSpan.Zero)
                {
                    if (await WatchFleetAsync(cancellationToken).ConfigureAwait(false) is { } leader)
                    {
                        // The fleet's leader assigns leases now: take nothing more, then stop as gracefully as a
                        // cancellation does, so the leader finds the leases unowned and assigns them first.
                        leases.StopTaking();
                        leaderFleet = leader;
                        break;
                    }

                    nextFleetWatch = options.TimeProvider.GetTimestamp() + Ticks(options.ClientVersionMonitorInterval);
                }

                if (options.TimeProvider.GetElapsedTime(nextSync) >= TimeSpan.Zero)
                {
                    await SyncShardsAsync(cancellationToken).ConfigureAwait(false);
                    nextSync = options.TimeProvider.GetTimestamp() + Ticks(options.ShardSyncInterval);
                }

                foreach (var stream in _streams.Values.ToList())
                {
                    if (stream.Cleaner is { IsDue: true } cleaner)
                    {
                        await CleanAsync(cleaner, stream.Context, cancellationToken).ConfigureAwait(false);
                    }
                }

                try
                {
                    await wake.WaitAsync(TimeSpan.FromSeconds(1), options.TimeProvider, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
            }
        }
        finally
        {
            await ShutDownAsync(leases).ConfigureAwait(false);
        }

        if (leaderFleet is { } fleet)
        {
            var error = KclFleetMode.Left(options.EffectiveLeaseTableName, fleet);
            ConsumerLog.LeftLeaderFleet(_logger, error.Message);
            throw error;
        }
    }

    /// <summary>Applies the decision for one acquired lease; true when it leaves the waiting list.</summary>
    private bool StartOrWait(LeaseCoordinator leases, Lease lease)
    {
        if (StreamOf(lease) is not { } stream)
        {
            // A lease of the other mode's table (refused at start; one written since is left alone).
            return true;
        }

        var context = stream.Context;
        var running = _running.TryGetValue(lease.LeaseKey, out var previous);
        var state = new AcquiredLeaseState(running, running && previous!.IsStopping, leases.TryGetHeldLease(lease.LeaseKey, out _));
        switch (state.Decide())
        {
            case LeaseStartDecision.Wait:
                return false;
            case LeaseStartDecision.Start:
                var consumer = new ShardConsumer(context, lease);
                _running[lease.LeaseKey] = consumer;
                consumer.Start();
                return true;
            default:
                return true;
        }
    }

    private async Task ShutDownAsync(LeaseCoordinator leases)
    {
        var consumers = _running.Values.ToList();
        foreach (var consumer in consumers)
        {
            consumer.RequestShutdown();
        }

        var all = Task.WhenAll(consumers.Select(c => c.Completion));
        await Task.WhenAny(all, Task.Delay(_options.ShutdownTimeout + TimeSpan.FromSeconds(1), _options.TimeProvider)).ConfigureAwait(false);

        // After the processors' last checkpoints: hand the leases back so another worker takes them at once.
        var released = await leases.ReleaseAllAsync(CancellationToken.None).ConfigureAwait(false);
        await leases.StopAsync().ConfigureAwait(false);
        ConsumerLog.WorkerStopped(_logger, _options.WorkerId, released);
    }

    private async Task SyncShardsAsync(CancellationToken cancellationToken)
    {
        foreach (var stream in _streams.Values.ToList())
        {
            if (stream.Syncer is { } syncer && !cancellationToken.IsCancellationRequested)
            {
                await SyncAsync(syncer, stream.Context, stream.Stream, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private long Ticks(TimeSpan interval) => (long)(interval.TotalSeconds * _options.TimeProvider.TimestampFrequency);

    private async Task SyncAsync(ShardSyncer syncer, ConsumerContext context, StreamIdentifier stream, CancellationToken cancellationToken)
    {
        var startedAt = _options.TimeProvider.GetTimestamp();
        try
        {
            var shards = await syncer.SyncAsync(cancellationToken).ConfigureAwait(false);
            context.ListedShards = shards.Select(s => s.ShardId).ToHashSet(StringComparer.Ordinal);
            _metrics.ShardsSynced(stream, true, _options.TimeProvider.GetElapsedTime(startedAt));
        }
        catch (Exception ex) when (ex is AwsServiceException or AmazonDynamoDBException)
        {
            _metrics.ShardsSynced(stream, false, _options.TimeProvider.GetElapsedTime(startedAt));
            ConsumerLog.ShardSyncFailed(_logger, stream.ToString(), ex.Message, ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: a sync cut short is no failure, and the shutdown that follows must not be skipped.
        }
    }

    private async Task CleanAsync(LeaseCleaner cleaner, ConsumerContext context, CancellationToken cancellationToken)
    {
        try
        {
            if (await cleaner.RunAsync(cancellationToken).ConfigureAwait(false) > 0)
            {
                // A deleted parent lease may be all a waiting child waits for.
                context.OnParentFinished();
            }
        }
        catch (Exception ex) when (ex is AwsServiceException or AmazonDynamoDBException)
        {
            ConsumerLog.LeaseCleanupFailed(_logger, context.Stream.ToString(), ex.Message, ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }
}
