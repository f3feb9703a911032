using System.Threading.Channels;
using Kinesis.Clients.Producer.Buffering;

namespace Kinesis.Clients.Producer.Firehose;

/// <summary>
/// One delivery stream's path: an inbox the callers post to, a loop that packs records into PutRecordBatch requests
/// (sent when full, when the oldest record has waited RecordMaxBufferedTime, or on flush), and up to
/// MaxConcurrentRequests requests in flight, each retried by a <see cref="FirehoseBatchSender"/>.
/// </summary>
internal sealed class FirehoseStreamPipeline : IAsyncDisposable
{
    private readonly FirehoseParts _parts;
    private readonly Channel<FirehoseUserRecord> _inbox =
        Channel.CreateUnbounded<FirehoseUserRecord>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly FlushTracker _flushes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _inflight;
    private readonly FirehoseBatchSender _sender;
    private readonly List<Task> _sends = [];
    private readonly Lock _sendsGate = new();
    private volatile TaskCompletionSource _flushRequested = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;
    private int _started;

    public FirehoseStreamPipeline(FirehoseParts parts, string deliveryStreamName)
    {
        _parts = parts;
        DeliveryStreamName = deliveryStreamName;
        _inflight = new SemaphoreSlim(parts.Options.MaxConcurrentRequests);
        _sender = new FirehoseBatchSender(parts, deliveryStreamName);
    }

    public string DeliveryStreamName { get; }

    public bool IsStopping => _stop.IsCancellationRequested;

    public void EnsureStarted()
    {
        if (Volatile.Read(ref _started) == 0 && Interlocked.Exchange(ref _started, 1) == 0)
        {
            _loop = Task.Run(RunAsync);
        }
    }

    public FlushEpoch EnterEpoch() => _flushes.Enter();

    public bool Post(FirehoseUserRecord record) => _inbox.Writer.TryWrite(record);

    /// <summary>Sends everything now; completes when every record accepted before the call has completed.</summary>
    public Task FlushAsync()
    {
        var epoch = _flushes.Close();
        _flushRequested.TrySetResult();
        return epoch.Drained;
    }

    /// <summary>Stops the loop and the sends (failing what is left with ProducerDisposed) and releases the pipeline.</summary>
    public async ValueTask DisposeAsync()
    {
        _inbox.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(false);
        }

        Task[] sends;
        lock (_sendsGate)
        {
            sends = [.. _sends];
        }

        await Task.WhenAll(sends).ConfigureAwait(false);
        while (_inbox.Reader.TryRead(out var left))
        {
            left.TryFail(RecordFailure.ProducerDisposed, "The producer was disposed before the record could be sent.");
        }

        _stop.Dispose();
        _inflight.Dispose();
    }

    private async Task RunAsync()
    {
        var builder = new FirehoseBatchBuilder(_parts.Options.AggregatedRecordSizeBytesOf(DeliveryStreamName), _parts.Options.CollectionMaxCount, _parts.Options.CollectionMaxSize);
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                while (_inbox.Reader.TryRead(out var record))
                {
                    _parts.Metrics.Received(DeliveryStreamName);
                    if (builder.Add(record) is { } full)
                    {
                        await DispatchAsync(full).ConfigureAwait(false);
                    }
                }

                var flush = _flushRequested;
                if (flush.Task.IsCompleted)
                {
                    _flushRequested = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    await DispatchAsync(builder.TakeBatch()).ConfigureAwait(false);
                    continue;
                }

                if (!builder.IsEmpty && _parts.Time.GetElapsedTime(builder.OldestAcceptedAt) >= _parts.Options.RecordMaxBufferedTime)
                {
                    await DispatchAsync(builder.TakeBatch()).ConfigureAwait(false);
                    continue;
                }

                await WaitForWorkAsync(builder, flush.Task).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            FirehoseLog.PipelineCrashed(_parts.Logger, DeliveryStreamName, ex);
        }

        foreach (var item in builder.TakeBatch())
        {
            foreach (var user in item.Users)
            {
                user.TryFail(RecordFailure.ProducerDisposed, "The producer was disposed before the record could be sent.");
            }
        }
    }

    /// <summary>Waits for a new record, a flush, or the oldest held record's linger to pass.</summary>
    private async Task WaitForWorkAsync(FirehoseBatchBuilder builder, Task flush)
    {
        var linger = builder.IsEmpty
            ? Timeout.InfiniteTimeSpan
            : TimeSpan.FromTicks(Math.Max(0, (_parts.Options.RecordMaxBufferedTime - _parts.Time.GetElapsedTime(builder.OldestAcceptedAt)).Ticks));
        using var lingerPassed = new CancellationTokenSource(linger, _parts.Time);
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, lingerPassed.Token);
        var read = _inbox.Reader.WaitToReadAsync(wake.Token).AsTask();
        await Task.WhenAny(read, flush).ConfigureAwait(false);
        if (read.IsCompletedSuccessfully && !await read.ConfigureAwait(false))
        {
            // The inbox was completed: the producer is stopping.
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        _stop.Token.ThrowIfCancellationRequested();
        await wake.CancelAsync().ConfigureAwait(false);
    }

    private async Task DispatchAsync(List<FirehoseRecordItem> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        try
        {
            await _inflight.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            foreach (var item in batch)
            {
                foreach (var user in item.Users)
                {
                    user.TryFail(RecordFailure.ProducerDisposed, "The producer was disposed before the record could be sent.");
                }
            }

            throw;
        }

        var send = Task.Run(async () =>
        {
            try
            {
                await _sender.SendAsync(batch, _stop.Token).ConfigureAwait(false);
            }
            finally
            {
                _inflight.Release();
            }
        });
        lock (_sendsGate)
        {
            _sends.RemoveAll(static t => t.IsCompleted);
            _sends.Add(send);
        }
    }
}
