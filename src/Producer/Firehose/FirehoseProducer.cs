using System.Collections.Concurrent;
using Kinesis.Clients.Firehose;
using Kinesis.Clients.Producer.Firehose;

namespace Kinesis.Clients.Producer;

/// <summary>
/// Puts records into Amazon Data Firehose delivery streams (Direct PUT) with the guarantees of
/// <see cref="KinesisProducer"/>: records are collected into PutRecordBatch requests, optionally joined into larger
/// Firehose records (<see cref="FirehoseProducerOptions.AggregatedRecordSizeBytes"/>), and only the failed entries are
/// retried, with exponential backoff and jitter; "Slow down." is throttling. Thread-safe; create one and share it.
/// </summary>
/// <remarks>
/// Every record accepted either arrives or is reported failed, with why: <see cref="PutAsync"/> throws
/// <see cref="RecordFailedException"/>, observers hear <see cref="IPutObserver.OnPutFailed"/>, other records go to
/// <see cref="FirehoseProducerOptions.OnRecordFailed"/>. Memory is bounded by
/// <see cref="FirehoseProducerOptions.MaxBufferedBytes"/> and <see cref="FirehoseProducerOptions.MaxBufferedRecords"/>:
/// when full, callers wait. Firehose does not read KPL aggregates, so there is no KPL aggregation here.
/// </remarks>
public sealed class FirehoseProducer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, FirehoseStreamPipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly FirehoseParts _parts;
    private int _disposed;

    /// <summary>Builds a producer; throws <see cref="ArgumentException"/> naming any invalid option.</summary>
    public FirehoseProducer(FirehoseProducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _parts = new FirehoseParts(options);
    }

    /// <summary>The options the producer was built with.</summary>
    public FirehoseProducerOptions Options { get; }

    /// <summary>Records accepted and not yet stored or failed.</summary>
    public long OutstandingRecords => _parts.Budget.Records;

    /// <summary>Data bytes of <see cref="OutstandingRecords"/>.</summary>
    public long BufferedBytes => _parts.Budget.Bytes;

    /// <summary>
    /// Puts one record and completes when Firehose has stored it, with its record id and attempts; throws
    /// <see cref="RecordFailedException"/> when it fails for good or outlives RecordTtl.
    /// </summary>
    /// <param name="deliveryStreamName">The delivery stream.</param>
    /// <param name="data">At most 1,000 KiB; copied, so the caller may reuse the buffer once this returns a task.</param>
    /// <param name="cancellationToken">Cancels waiting for buffer room only; an accepted record is sent regardless.</param>
    public async Task<FirehosePutResult> PutAsync(string deliveryStreamName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await AdmitAsync(deliveryStreamName, data, cancellationToken).ConfigureAwait(false);
        return await Buffer(deliveryStreamName, data, awaited: true, null, 0).Completion!.ConfigureAwait(false);
    }

    /// <summary>
    /// Puts one record without waiting for Firehose: completes once the record is buffered (waiting while the buffer
    /// is full). Its failure goes to <see cref="FirehoseProducerOptions.OnRecordFailed"/>.
    /// </summary>
    /// <param name="deliveryStreamName">The delivery stream.</param>
    /// <param name="data">At most 1,000 KiB; copied before this returns.</param>
    /// <param name="cancellationToken">Cancels waiting for buffer room.</param>
    public async ValueTask EnqueueAsync(string deliveryStreamName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken = default)
    {
        await AdmitAsync(deliveryStreamName, data, cancellationToken).ConfigureAwait(false);
        Buffer(deliveryStreamName, data, awaited: false, null, 0);
    }

    /// <summary>
    /// Puts one record without a task per record: completes once it is buffered, and later tells
    /// <paramref name="observer"/> exactly once whether it was stored. On success the observer hears
    /// <c>OnPutSucceeded(token, deliveryStreamName, recordId)</c>: the delivery stream stands where a shard would.
    /// </summary>
    /// <param name="deliveryStreamName">The delivery stream.</param>
    /// <param name="data">At most 1,000 KiB; copied before this returns.</param>
    /// <param name="observer">Hears the outcome; see <see cref="IPutObserver"/> for the threads it runs on.</param>
    /// <param name="token">Any value the caller uses to find the record again.</param>
    /// <param name="cancellationToken">Cancels waiting for buffer room (the observer then hears nothing).</param>
    public async ValueTask EnqueueAsync(string deliveryStreamName, ReadOnlyMemory<byte> data, IPutObserver observer, long token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(observer);
        await AdmitAsync(deliveryStreamName, data, cancellationToken).ConfigureAwait(false);
        Buffer(deliveryStreamName, data, awaited: false, observer, token);
    }

    /// <summary>
    /// Sends everything buffered now, without waiting for RecordMaxBufferedTime, and completes when every record
    /// accepted before the call has been stored or reported failed.
    /// </summary>
    /// <param name="deliveryStreamName">One delivery stream, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Stops waiting (the flush itself goes on).</param>
    public Task FlushAsync(string? deliveryStreamName = null, CancellationToken cancellationToken = default)
    {
        var pipelines = deliveryStreamName is null
            ? _pipelines.Values.ToArray()
            : _pipelines.TryGetValue(deliveryStreamName, out var one) ? [one] : [];
        return Task.WhenAll(pipelines.Select(p => p.FlushAsync())).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Flushes, waits up to <see cref="FirehoseProducerOptions.ShutdownTimeout"/> for the records to be stored, then
    /// fails whatever is left with <c>ProducerDisposed</c> and releases the connections.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await FlushAsync().WaitAsync(Options.ShutdownTimeout, Options.TimeProvider).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            ProducerLog.ShutdownLeftRecords(_parts.Logger, _parts.Budget.Records, Options.ShutdownTimeout);
        }

        foreach (var pipeline in _pipelines.Values)
        {
            await pipeline.DisposeAsync().ConfigureAwait(false);
        }

        await _parts.DisposeAsync().ConfigureAwait(false);
    }

    private ValueTask AdmitAsync(string deliveryStreamName, ReadOnlyMemory<byte> data, CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        FirehoseLimits.ValidateDeliveryStreamName(deliveryStreamName, nameof(deliveryStreamName));
        FirehoseLimits.ValidateRecordSize(data.Length, nameof(data));
        if (_parts.Budget.TryAcquire(data.Length))
        {
            return ValueTask.CompletedTask;
        }

        if (Options.FailWhenBufferFull)
        {
            throw new ProducerBufferFullException(
                $"The producer's buffer is full ({_parts.Budget.Records} records, {_parts.Budget.Bytes} of {Options.MaxBufferedBytes} bytes; record of {data.Length} bytes for delivery stream {deliveryStreamName}).");
        }

        return _parts.Budget.AcquireAsync(data.Length, cancellationToken);
    }

    private FirehoseUserRecord Buffer(string deliveryStreamName, ReadOnlyMemory<byte> data, bool awaited, IPutObserver? observer, long token)
    {
        var pipeline = _pipelines.GetOrAdd(deliveryStreamName, static (name, parts) => new FirehoseStreamPipeline(parts, name), _parts);
        pipeline.EnsureStarted();
        var epoch = pipeline.EnterEpoch();
        var record = new FirehoseUserRecord(_parts, deliveryStreamName, data.Span, Options.TimeProvider.GetTimestamp(), epoch, awaited, observer, token);
        if (!pipeline.Post(record) || (Volatile.Read(ref _disposed) != 0 && pipeline.IsStopping))
        {
            record.TryFail(RecordFailure.ProducerDisposed, "The producer was disposed before the record could be buffered.");
        }

        return record;
    }
}
