using System.Runtime.ExceptionServices;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Consumer.Worker;

namespace Kinesis.Clients.Consumer.Failures;

/// <summary>
/// Gives one shard's batches to its record processor and applies the <see cref="FailurePolicy"/> when the processor
/// throws: retries with backoff, bisection, a stalled shard that keeps its lease, or a hand-off (skip callback or
/// dead-letter stream) after which the shard goes on. Runs on the shard's processing task, as the processor does.
/// </summary>
internal sealed class BatchRunner
{
    private readonly ConsumerContext _context;
    private readonly string _shardId;
    private readonly Checkpointer _checkpointer;
    private readonly FailurePolicy _policy;
    private readonly FailureMetrics _metrics;

    // The last record of this tenure's records that are dealt with (processed or handed off); null before the first.
    private ExtendedSequenceNumber? _handledThrough;

    public BatchRunner(ConsumerContext context, string shardId, Checkpointer checkpointer)
    {
        _context = context;
        _shardId = shardId;
        _checkpointer = checkpointer;
        _policy = FailurePolicy.From(context.Options);
        _metrics = context.Metrics.Failures;
    }

    /// <summary>
    /// Returns once every record of <paramref name="batch"/> has been processed or handed off. A call of the processor
    /// under way when <paramref name="stopping"/> is cancelled goes on (on <paramref name="cancellationToken"/>, which
    /// aborts it), and so does the hand-off of what it failed on; no call is started after it (no retry, no half), and
    /// what has failed then counts as not delivered.
    /// </summary>
    public async Task RunAsync(IRecordProcessor processor, ShardBatch batch, CancellationToken stopping, CancellationToken cancellationToken)
    {
        var parts = new Stack<IReadOnlyList<ConsumerRecord>>();
        parts.Push(batch.Records);
        while (parts.TryPop(out var part))
        {
            if (await RunPartAsync(processor, part, batch.MillisBehindLatest, stopping, cancellationToken).ConfigureAwait(false) is { } halves)
            {
                parts.Push(halves.Second);
                parts.Push(halves.First);
            }
        }
    }

    /// <summary>Processes one part until it is dealt with; returns its two halves when it is to be bisected instead.</summary>
    private async Task<(IReadOnlyList<ConsumerRecord> First, IReadOnlyList<ConsumerRecord> Second)?> RunPartAsync(
        IRecordProcessor processor, IReadOnlyList<ConsumerRecord> part, long? millisBehindLatest, CancellationToken stopping, CancellationToken cancellationToken)
    {
        var failedAttempts = 0;
        var calls = 0;
        var stalled = false;
        var dealtWith = false;
        var bisected = false;
        try
        {
            while (true)
            {
                // What the processor checkpointed before it threw is done, by its own word: never given again.
                var records = NotCheckpointed(part);
                if (records.Count == 0)
                {
                    dealtWith = true;
                    return null;
                }

                // No call starts after a stop (the KCL runs no ProcessTask after a shutdown request): not the batch's
                // first, a retry or a half. The finally below takes back the delivery of what is not dealt with.
                stopping.ThrowIfCancellationRequested();
                _checkpointer.Delivered(records[^1]);
                Exception error;
                calls++;
                var calledAt = _context.Options.TimeProvider.GetTimestamp();
                try
                {
                    await processor.ProcessRecordsAsync(new ProcessRecordsInput(_shardId, records, millisBehindLatest, _checkpointer), cancellationToken).ConfigureAwait(false);
                    dealtWith = true;
                    return null;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    error = ex;
                }
                finally
                {
                    _context.Metrics.ProcessRecordsCalled(_context.Stream, _shardId, _context.Options.TimeProvider.GetElapsedTime(calledAt));
                }

                failedAttempts++;
                _metrics.Failed(_context.Stream, _shardId);
                var decision = _policy.Decide(failedAttempts, records.Count, error);
                var first = records[0].ToString();
                var last = records[^1].ToString();
                var errorType = TypeOf(error);
                switch (decision.Step)
                {
                    case FailureStep.Abandon:
                        ExceptionDispatchInfo.Throw(error);
                        break;
                    case FailureStep.Retry:
                        ConsumerLog.ProcessingRetry(_context.Logger, _shardId, records.Count, first, last, failedAttempts, errorType, error.Message, decision.Delay, error);
                        break;
                    case FailureStep.Stall when !stalled:
                        stalled = true;
                        _metrics.Stall();
                        ConsumerLog.ShardStalled(_context.Logger, _shardId, failedAttempts, records.Count, first, last, errorType, error.Message, _context.Options.ProcessingRetryMaxDelay, error);
                        break;
                    case FailureStep.Stall:
                        ConsumerLog.StillStalled(_context.Logger, _shardId, failedAttempts, errorType, error.Message);
                        break;
                    case FailureStep.Bisect:
                        ConsumerLog.BatchBisected(_context.Logger, records.Count, first, last, _shardId, failedAttempts);
                        bisected = true;
                        var middle = records.Count / 2;
                        return (records.Take(middle).ToList(), records.Skip(middle).ToList());
                    default:
                        var failure = new FailedBatch(_shardId, records, error, failedAttempts);
                        if (await TryHandOffAsync(decision.Step, failure, stalled, cancellationToken).ConfigureAwait(false))
                        {
                            await CheckpointPastAsync(records[^1], cancellationToken).ConfigureAwait(false);
                            dealtWith = true;
                            return null;
                        }

                        if (!stalled)
                        {
                            stalled = true;
                            _metrics.Stall();
                        }

                        decision = decision with { Delay = _policy.DelayAfter(failedAttempts) };
                        break;
                }

                using var either = CancellationTokenSource.CreateLinkedTokenSource(stopping, cancellationToken);
                await Task.Delay(decision.Delay, _context.Options.TimeProvider, either.Token).ConfigureAwait(false);
            }
        }
        finally
        {
            if (dealtWith)
            {
                _handledThrough = Position(part[^1]);
            }
            else if (!bisected)
            {
                // Stopping (shutdown, lost lease) with failed records in hand: a processor that checkpoints "the last
                // record delivered" at shutdown must not pass records it never managed to process.
                _checkpointer.Undeliver(_handledThrough);
            }

            if (stalled)
            {
                _metrics.Recover();
                if (dealtWith)
                {
                    string first = part[0].ToString(), last = part[^1].ToString();
                    ConsumerLog.ShardRecovered(_context.Logger, _shardId, first, last, calls);
                }
            }
        }
    }

    private async Task<bool> TryHandOffAsync(FailureStep step, FailedBatch failure, bool stalled, CancellationToken cancellationToken)
    {
        var records = failure.Records;
        string first = records[0].ToString(), last = records[^1].ToString(), errorType = TypeOf(failure.Exception);
        try
        {
            if (step == FailureStep.Skip)
            {
                await _context.Options.OnBatchSkipped!(failure, cancellationToken).ConfigureAwait(false);
                _metrics.Skipped(_context.Stream, _shardId, records.Count);
                ConsumerLog.RecordsSkipped(_context.Logger, records.Count, first, last, _shardId, failure.Attempts, errorType, failure.Exception.Message);
            }
            else
            {
                var write = _context.WriteDeadLetters ?? throw new InvalidOperationException("No dead-letter stream writer is configured.");
                await write(_context.Stream, failure, cancellationToken).ConfigureAwait(false);
                _metrics.DeadLettered(_context.Stream, _shardId, records.Count);
                ConsumerLog.RecordsDeadLettered(_context.Logger, records.Count, first, last, _shardId, _context.Options.DeadLetterStreamName!, failure.Attempts, errorType, failure.Exception.Message);
            }

            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var failedType = TypeOf(ex);
            var reason = $"{failedType}: {ex.Message}";
            if (stalled)
            {
                ConsumerLog.StillStalled(_context.Logger, _shardId, failure.Attempts, failedType, ex.Message);
            }
            else
            {
                ConsumerLog.HandOffFailed(_context.Logger, records.Count, first, last, _shardId, reason, _context.Options.ProcessingRetryMaxDelay, ex);
            }

            return false;
        }
    }

    /// <summary>
    /// Checkpoints the last handed-off record, but only when the processor's own checkpoint already covers every
    /// record before the handed-off ones: then the checkpoint passes nothing but what was handed off. Otherwise the
    /// processor still holds records it has not checkpointed (it checkpoints by time or count), and moving the
    /// checkpoint would make a crash lose them; its own next checkpoint passes the handed-off records instead.
    /// </summary>
    private async Task CheckpointPastAsync(ConsumerRecord last, CancellationToken cancellationToken)
    {
        var current = _checkpointer.Current;
        if (_handledThrough is { } before && (current.IsSentinel || current < before))
        {
            return;
        }

        try
        {
            await _checkpointer.CheckpointAsync(last, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not LeaseLostException && !cancellationToken.IsCancellationRequested)
        {
            ConsumerLog.HandOffCheckpointFailed(_context.Logger, _shardId, ex.Message, ex);
        }
    }

    private IReadOnlyList<ConsumerRecord> NotCheckpointed(IReadOnlyList<ConsumerRecord> part)
    {
        var checkpoint = _checkpointer.Current;
        if (checkpoint.IsSentinel)
        {
            return part;
        }

        var skip = 0;
        while (skip < part.Count && Position(part[skip]) <= checkpoint)
        {
            skip++;
        }

        return skip == 0 ? part : part.Skip(skip).ToList();
    }

    private static ExtendedSequenceNumber Position(ConsumerRecord record) => new(record.SequenceNumber, record.SubSequenceNumber);

    private static string TypeOf(Exception error) => error.GetType().FullName ?? error.GetType().Name;
}
