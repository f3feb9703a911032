using Amazon.DynamoDBv2;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>The worker's streams: one, or those of a <see cref="MultiStreamTracker"/> and any other stream the table holds leases of.</summary>
internal sealed partial class ConsumerWorker
{
    private readonly Dictionary<string, StreamIdentifier> _identified = new(StringComparer.Ordinal);
    private readonly FormerStreams _former = new();

    private StreamState NewStream(
        StreamIdentifier stream,
        ILeaseStore store,
        InitialPosition initial,
        Func<CancellationToken, Task<IReadOnlyList<Shard>>> listShards,
        Func<string, HashKeyRange?, StartingPosition, IShardRecordSource> createSource,
        bool tracked)
    {
        StreamState? state = null;
        var context = new ConsumerContext(
            _options,
            _leases!,
            store,
            _factory,
            _metrics,
            _logger,
            createSource,
            done =>
            {
                _running.TryRemove(new KeyValuePair<string, ShardConsumer>(done.LeaseKey, done));
                _wake.Set();
            })
        {
            Stream = stream,
            InitialPosition = initial,
            TakeWasSteal = _tracked!.TakeWasSteal,
            OnShardNotFound = shardId =>
            {
                state!.Cleaner?.ReportNotFound(shardId);
                _wake.Set();
            },
            WriteDeadLetters = WriteDeadLetters,
        };
        state = new StreamState { Stream = stream, Context = context };
        if (tracked)
        {
            Track(state, listShards);
        }

        return state;
    }

    private void Track(StreamState state, Func<CancellationToken, Task<IReadOnlyList<Shard>>> listShards)
    {
        var context = state.Context;
        state.Syncer = new ShardSyncer(listShards, context.Store, _options, _logger, context.InitialPosition, state.Stream.ToString()) { Metrics = _metrics, Stream = state.Stream };
        state.Cleaner = new LeaseCleaner(context.Store, listShards, listed => context.ListedShards = listed, _options, _logger);
    }

    /// <summary>The stream a held lease belongs to; <see langword="null"/> for a lease of the other mode's table.</summary>
    private StreamState? StreamOf(Lease lease)
    {
        if (MultiStream is not { } access)
        {
            return lease.IsMultiStream ? null : _streams[""];
        }

        if (lease.StreamIdentifier is not { } key)
        {
            return null;
        }

        if (_streams.TryGetValue(key, out var state))
        {
            return state;
        }

        // As the KCL, a stream the table holds leases of but the tracker does not name is still processed (its new
        // leases at OrphanedStreamInitialPosition); it is neither synced nor cleaned up, and may be deleted below.
        var stream = StreamIdentifier.Parse(key);
        state = NewStream(
            stream,
            new StreamLeaseView(_store, stream),
            access.Tracker.OrphanedStreamInitialPosition,
            ct => access.ListShards(stream.StreamName, ct),
            (shardId, range, start) => access.CreateSource(stream.StreamName, shardId, range, start),
            tracked: false);
        _streams[key] = state;
        return state;
    }

    /// <summary>Reads the tracker: new streams get their shards synced at once, removed ones are no longer synced, former ones may be deleted.</summary>
    private async Task SyncStreamsAsync(CancellationToken cancellationToken)
    {
        var access = MultiStream!;
        var tracked = new HashSet<StreamIdentifier>();
        var unidentified = 0;
        foreach (var config in access.Tracker.Streams)
        {
            var reference = StreamReference.Parse(config.Stream, nameof(KinesisConsumerOptions.Streams));
            if (!_identified.TryGetValue(config.Stream, out var stream))
            {
                try
                {
                    stream = await access.Identify(reference, cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex) when (ex is AwsServiceException or HttpRequestException or TimeoutException)
                {
                    ConsumerLog.StreamNotIdentified(_logger, config.Stream, ex.Message, ex);
                    unidentified++;
                    continue;
                }

                _identified[config.Stream] = stream;
                ConsumerLog.StreamTracked(_logger, config.Stream, stream);
            }

            tracked.Add(stream);
            var address = reference.Arn?.ToString() ?? reference.StreamName;
            Task<IReadOnlyList<Shard>> ListShards(CancellationToken ct) => access.ListShards(address, ct);
            if (!_streams.TryGetValue(stream.Serialize(), out var state))
            {
                state = NewStream(
                    stream,
                    new StreamLeaseView(_store, stream),
                    config.InitialPosition ?? _options.InitialPosition,
                    ListShards,
                    (shardId, range, start) => access.CreateSource(address, shardId, range, start),
                    tracked: true);
                _streams[stream.Serialize()] = state;
                await SyncAsync(state.Syncer!, state.Context, stream, cancellationToken).ConfigureAwait(false);
            }
            else if (!state.IsTracked)
            {
                Track(state, ListShards);
            }
        }

        var strategy = access.Tracker.FormerStreamsLeasesDeletion;
        foreach (var state in _streams.Values.Where(s => s.IsTracked && !tracked.Contains(s.Stream)))
        {
            state.Syncer = null;
            state.Cleaner = null;
            var fate = strategy == FormerStreamsLeasesDeletion.None ? "stay" : "are deleted after the wait period";
            ConsumerLog.StreamUntracked(_logger, state.Stream, fate);
        }

        // A stream that could not be identified may still be tracked: deciding now could delete what is consumed.
        if (strategy != FormerStreamsLeasesDeletion.None && unidentified == 0)
        {
            await DeleteFormerStreamsAsync(access.Tracker, tracked, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task DeleteFormerStreamsAsync(MultiStreamTracker tracker, HashSet<StreamIdentifier> tracked, CancellationToken cancellationToken)
    {
        try
        {
            var leases = await _store.ListAsync(cancellationToken).ConfigureAwait(false);
            var inTable = leases.Select(l => l.StreamIdentifier).OfType<string>().Distinct(StringComparer.Ordinal).Select(StreamIdentifier.Parse);
            var due = _former.Decide(
                tracker.FormerStreamsLeasesDeletion,
                tracked,
                inTable,
                tracker.StreamsForLeaseDeletionReferences,
                _options.TimeProvider.GetTimestamp(),
                Ticks(tracker.WaitPeriodToDeleteFormerStreams ?? TimeSpan.Zero));
            foreach (var stream in due)
            {
                await DeleteStreamLeasesAsync(stream, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is AwsServiceException or AmazonDynamoDBException)
        {
            ConsumerLog.LeaseCleanupFailed(_logger, "(former streams)", ex.Message, ex);
        }
    }

    /// <summary>
    /// Deletes a former stream's leases, each conditional on the row as read. Its leases held here are stopped and
    /// released first; one a live worker still renews is left for a later round (that worker, on the same tracker,
    /// releases it when it reaches the same decision).
    /// </summary>
    private async Task DeleteStreamLeasesAsync(StreamIdentifier stream, CancellationToken cancellationToken)
    {
        var key = stream.Serialize();
        foreach (var consumer in _running.Values.Where(c => MultiStreamLeaseKey.TryParse(c.LeaseKey, out var s, out _) && s == stream).ToList())
        {
            consumer.LoseLease();
            await _leases!.ReleaseAsync(consumer.LeaseKey, cancellationToken).ConfigureAwait(false);
        }

        var leases = (await _store.ListAsync(cancellationToken).ConfigureAwait(false)).Where(l => l.StreamIdentifier == key).ToList();
        var deleted = 0;
        foreach (var lease in leases)
        {
            if (_leases!.TryGetHeldLease(lease.LeaseKey, out _))
            {
                // Taken again since: released at the next round.
                await _leases.ReleaseAsync(lease.LeaseKey, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (await _store.DeleteAsync(lease, cancellationToken).ConfigureAwait(false))
            {
                deleted++;
            }
        }

        var left = leases.Count - deleted;
        ConsumerLog.FormerStreamLeasesDeleted(_logger, deleted, key, left);
        if (deleted == leases.Count)
        {
            _former.Deleted(stream);
            _streams.Remove(key);
        }
    }
}
