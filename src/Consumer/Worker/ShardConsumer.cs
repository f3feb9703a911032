using Kinesis.Clients.Consumer.Failures;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// Runs one held lease: waits until every parent that still has a lease has reached SHARD_END, then drives
/// the record processor through its lifecycle while a record source reads the shard from the checkpoint.
/// Ends on shard end (children created, processor must checkpoint), lease loss, graceful shutdown, or a shard
/// that does not exist (aged out or deleted: as the KCL, a shard end without children, then the lease goes to the
/// <see cref="LeaseCleaner"/>).
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "Stop may be called after the run ends (a late lease-lost event); the abort's timer fires once, within the shutdown timeout.")]
internal sealed class ShardConsumer
{
    private readonly ConsumerContext _context;
    private readonly Lease _lease;

    // Stops reading and waiting; the processor's own calls run on _abort, which a graceful stop cancels only when
    // ShutdownTimeout has passed, so the batch in flight finishes and its checkpoint is written (as the KCL lets the
    // running ProcessTask end before its ShutdownNotificationTask).
    private readonly CancellationTokenSource _stop = new();
    private readonly CancellationTokenSource _abort;
    private int _stopReason;

    // The KCL's checkpointer reports its writes under ProcessTask until its ShutdownTask (shard end, lease lost).
    private volatile string _checkpointOperation = ConsumerTags.ProcessTask;

    public ShardConsumer(ConsumerContext context, Lease lease)
    {
        _context = context;
        _lease = lease;
        _abort = new CancellationTokenSource(Timeout.InfiniteTimeSpan, context.Options.TimeProvider);
    }

    /// <summary>The lease's key in the table: the shard id, or <c>account:stream:creationEpoch:shardId</c> in multi-stream mode.</summary>
    public string LeaseKey => _lease.LeaseKey;

    /// <summary>The shard, as Kinesis and the processor name it.</summary>
    public string ShardId => _lease.ShardIdOrKey;

    public Task Completion { get; private set; } = Task.CompletedTask;

    public void Start() => Completion = Task.Run(RunAsync);

    /// <summary>Whether a stop has been asked for; the processor may still be finishing its batch.</summary>
    public bool IsStopping => Reason is not StopReason.None;

    /// <summary>Another worker has the lease: stop at once and tell the processor.</summary>
    public void LoseLease() => Stop(StopReason.LeaseLost);

    /// <summary>
    /// The worker is shutting down: stop reading, let the batch in flight finish (and checkpoint), then let the
    /// processor checkpoint, all within <see cref="KinesisConsumerOptions.ShutdownTimeout"/>.
    /// </summary>
    public void RequestShutdown() => Stop(StopReason.Shutdown);

    /// <summary>
    /// A KCL 3.x graceful handoff: stop reading, let the batch in flight finish and the processor checkpoint as at
    /// shutdown, then release the lease, which transfers it to the next owner the handoff named.
    /// </summary>
    public void HandOff() => Stop(StopReason.Handoff);

    private void Stop(StopReason reason)
    {
        if (Interlocked.CompareExchange(ref _stopReason, (int)reason, 0) == 0)
        {
            _stop.Cancel();
            if (reason is StopReason.Shutdown or StopReason.Handoff)
            {
                // One budget for the batch in flight and ShutdownRequestedAsync; past it the processor is cancelled.
                _abort.CancelAfter(_context.Options.ShutdownTimeout);
            }
            else
            {
                _abort.Cancel();
            }
        }
    }

    private StopReason Reason => (StopReason)Volatile.Read(ref _stopReason);

    private async Task RunAsync()
    {
        IRecordProcessor? processor = null;
        var time = _context.Options.TimeProvider;
        var checkpointer = new Checkpointer(_context.Leases, LeaseKey, _lease.Checkpoint, LoseLease, () => Reason is StopReason.LeaseLost)
        {
            Time = time,
            OnWrite = (success, elapsed) => _context.Metrics.LeaseUpdated(_checkpointOperation, _context.Stream, ShardId, success, elapsed),
        };
        var runner = new BatchRunner(_context, ShardId, checkpointer);
        try
        {
            await WaitForParentsAsync(_stop.Token).ConfigureAwait(false);
            if (_context.TakeWasSteal(LeaseKey))
            {
                // The owner we stole from finds out at its next renewal, then stops its processor: give it that
                // long, and a little for the batch in flight, so one shard never has two live processors.
                await Task.Delay(_context.Options.EffectiveRenewalInterval + TimeSpan.FromMilliseconds(500), _context.Options.TimeProvider, _stop.Token).ConfigureAwait(false);
            }

            processor = _context.Factory.CreateProcessor(_context.Stream, ShardId);
            var initializingAt = time.GetTimestamp();
            try
            {
                await processor.InitializeAsync(
                    new InitializationInput(ShardId, _lease.Checkpoint, _lease.PendingCheckpoint, _lease.PendingCheckpointState) { Stream = _context.Stream },
                    _stop.Token).ConfigureAwait(false);
            }
            finally
            {
                _context.Metrics.Initialized(_context.Stream, time.GetElapsedTime(initializingAt));
            }

            ConsumerLog.ShardStarted(_context.Logger, ShardId, _lease.Checkpoint);

            var start = StartingPosition.FromCheckpoint(_lease.Checkpoint.SequenceNumber, _lease.Checkpoint.SubSequenceNumber, _context.InitialPosition.Timestamp);
            var source = _context.CreateSource(ShardId, _lease.HashKeyRange, start);
            await using var sourceScope = source.ConfigureAwait(false);
            _context.Metrics.Track(source, _context.Stream, ShardId);
            await foreach (var batch in source.ReadAsync(_stop.Token).ConfigureAwait(false))
            {
                // The KCL's ProcessTask runs for every batch read, empty ones too (its metrics then count 0).
                var processingAt = time.GetTimestamp();
                var processed = false;
                try
                {
                    if (batch.Records.Count > 0)
                    {
                        // Processor failures are retried, bisected, stall the shard or are handed off there; what
                        // reaches the catch below is a lost lease or a failure outside the processor.
                        await runner.RunAsync(processor, batch, _stop.Token, _abort.Token).ConfigureAwait(false);
                    }

                    processed = true;
                }
                finally
                {
                    // A batch cut short by the shutdown is neither a success nor a failure.
                    if (processed || !_stop.IsCancellationRequested)
                    {
                        _context.Metrics.Processed(_context.Stream, ShardId, batch, processed, time.GetElapsedTime(processingAt));
                    }
                }

                if (_stop.IsCancellationRequested)
                {
                    // Stopped while this batch was processed: no further batch (a prefetched one may be ready), and no
                    // shard end, which would call a second terminal method after ShutdownRequestedAsync.
                    break;
                }

                if (batch.IsShardEnd)
                {
                    // Out of the loop, not out of the method: the worker must still hear that this shard is done.
                    await EndShardAsync(processor, checkpointer, batch).ConfigureAwait(false);
                    break;
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (LeaseLostException)
        {
            Stop(StopReason.LeaseLost);
        }
        catch (ResourceNotFoundException ex) when (!_stop.IsCancellationRequested)
        {
            // Retrying would only loop: release, retake, fail again, while the children wait for this lease.
            ConsumerLog.ShardNotFound(_context.Logger, ShardId, _context.Options.StreamLabel, ex.Message);
            Stop(StopReason.ShardNotFound);
        }
        catch (Exception ex)
        {
            // A reader failure (or a processor failure at initialization or shard end) ends this lease's run; the
            // lease is released so any worker retries it.
            ConsumerLog.ShardFailed(_context.Logger, ShardId, ex.Message, ex);
            Stop(StopReason.Failed);
        }

        await FinishAsync(processor, checkpointer).ConfigureAwait(false);
    }

    private async Task FinishAsync(IRecordProcessor? processor, Checkpointer checkpointer)
    {
        // A graceful stop's budget started when it was asked for (the batch in flight took its share); other stops
        // give the processor's last call a budget of its own.
        using var own = new CancellationTokenSource(_context.Options.ShutdownTimeout, _context.Options.TimeProvider);
        var grace = Reason is StopReason.Shutdown or StopReason.Handoff ? _abort : own;
        var shuttingDownAt = _context.Options.TimeProvider.GetTimestamp();
        try
        {
            if (Reason is StopReason.LeaseLost or StopReason.ShardNotFound)
            {
                _checkpointOperation = ConsumerTags.ShutdownTask;
            }

            switch (Reason)
            {
                case StopReason.LeaseLost when processor is not null:
                    await processor.LeaseLostAsync(new LeaseLostInput(ShardId), grace.Token).ConfigureAwait(false);
                    break;
                case StopReason.Shutdown or StopReason.Handoff when processor is not null:
                    await processor.ShutdownRequestedAsync(new ShutdownRequestedInput(ShardId, checkpointer), grace.Token).ConfigureAwait(false);
                    break;
                case StopReason.ShardNotFound when processor is not null:
                    // The KCL's ShutdownTask on ResourceNotFound: a best-effort shard end, the checkpoint not required.
                    checkpointer.DeliveredShardEnd();
                    await processor.ShardEndedAsync(new ShardEndedInput(ShardId, checkpointer), grace.Token).ConfigureAwait(false);
                    break;
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ConsumerLog.ProcessorShutdownFailed(_context.Logger, ShardId, ex.Message, ex);
        }
        finally
        {
            if (processor is not null && Reason is StopReason.LeaseLost or StopReason.Shutdown or StopReason.Handoff or StopReason.ShardNotFound)
            {
                _context.Metrics.ShutDown(_context.Stream, _context.Options.TimeProvider.GetElapsedTime(shuttingDownAt));
            }
        }

        if (Reason is StopReason.Failed or StopReason.Handoff or StopReason.ShardNotFound)
        {
            await _context.Leases.ReleaseAsync(LeaseKey, CancellationToken.None).ConfigureAwait(false);
        }

        if (Reason is StopReason.ShardNotFound)
        {
            // After the release, so the cleanup's conditional delete sees the row as it stays.
            _context.OnShardNotFound(ShardId);
        }

        _context.OnShardConsumerDone(this);
    }

    private async Task EndShardAsync(IRecordProcessor processor, Checkpointer checkpointer, ShardBatch batch)
    {
        // Children first, with their parents, so they exist before this lease is marked finished.
        _checkpointOperation = ConsumerTags.ShutdownTask;
        var children = batch.ChildShards.Select(c => c.ShardId).ToList();
        var time = _context.Options.TimeProvider;
        foreach (var child in batch.ChildShards)
        {
            var creatingAt = time.GetTimestamp();
            var created = false;
            try
            {
                await _context.Store.CreateIfAbsentAsync(
                    Lease.ForNewShard(child.ShardId, ExtendedSequenceNumber.TrimHorizon, child.ParentShards, child.HashKeyRange),
                    _stop.Token).ConfigureAwait(false);
                created = true;
            }
            finally
            {
                _context.Metrics.LeaseCreated(ConsumerTags.ShutdownTask, _context.Stream, ExtendedSequenceNumber.TrimHorizon, created, time.GetElapsedTime(creatingAt));
            }
        }

        if (children.Count > 0)
        {
            await _context.Leases.TryUpdateChildShardsAsync(LeaseKey, children, _stop.Token).ConfigureAwait(false);
        }

        checkpointer.DeliveredShardEnd();
        var endingAt = _context.Options.TimeProvider.GetTimestamp();
        try
        {
            await processor.ShardEndedAsync(new ShardEndedInput(ShardId, checkpointer), _stop.Token).ConfigureAwait(false);
        }
        finally
        {
            _context.Metrics.ShutDown(_context.Stream, _context.Options.TimeProvider.GetElapsedTime(endingAt));
        }

        if (!checkpointer.AtShardEnd)
        {
            // The KCL refuses to go on here too: without a SHARD_END checkpoint the children would wait forever.
            throw new InvalidOperationException(
                $"The record processor of {ShardId} returned from ShardEndedAsync without checkpointing; the shard's children cannot start until it does.");
        }

        ConsumerLog.ShardEnded(_context.Logger, ShardId, children);
        await _context.Leases.ReleaseAsync(LeaseKey, CancellationToken.None).ConfigureAwait(false);
        _context.OnParentFinished();
    }

    private async Task WaitForParentsAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var parents = new Dictionary<string, Lease>(StringComparer.Ordinal);
            foreach (var parent in _lease.ParentShardIds)
            {
                if (await _context.Store.GetAsync(parent, cancellationToken).ConfigureAwait(false) is { } lease)
                {
                    parents[parent] = lease;
                }
            }

            // Parents are shard ids, in a multi-stream table too: the lease as its stream's view keys it.
            if (LeaseCleanup.ParentsDone(StreamLeaseView.ToView(_lease), parents, _context.ListedShards))
            {
                return;
            }

            // A parent finished in this process wakes the wait at once; others are seen at the next poll.
            await _context.WaitForParentFinishedAsync(_context.Options.ParentShardPollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private enum StopReason
    {
        None = 0,
        LeaseLost = 1,
        Shutdown = 2,
        Failed = 3,
        Handoff = 4,
        ShardNotFound = 5,
    }
}
