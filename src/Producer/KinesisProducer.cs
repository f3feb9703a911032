using System.Collections.Concurrent;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Pipeline;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer;

/// <summary>
/// Puts records into Kinesis Data Streams the way the Kinesis Producer Library does, in-process: records
/// are aggregated per shard (KPL format), collected into PutRecords requests, held to each shard's rate
/// limit, and retried with exponential backoff. Thread-safe; create one per application and share it.
/// </summary>
/// <remarks>
/// Every record accepted either arrives or is reported failed, with why: <see cref="PutAsync"/> throws
/// <see cref="RecordFailedException"/>, and records put with <see cref="EnqueueAsync(string, string, ReadOnlyMemory{byte}, string?, CancellationToken)"/> go to
/// <see cref="KinesisProducerOptions.OnRecordFailed"/>. Memory is bounded by
/// <see cref="KinesisProducerOptions.MaxBufferedBytes"/> and <see cref="KinesisProducerOptions.MaxBufferedRecords"/>:
/// when full, callers wait.
/// </remarks>
public sealed class KinesisProducer : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, StreamPipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly ProducerParts _parts;
    private readonly RecordAdmission _admission;
    private int _disposed;

    // The pipeline of the last record's stream: a caller putting to one stream (nearly every caller) is spared the
    // name check and the dictionary's string hash on each record. Matched by reference, so a name passed as another
    // string instance simply takes the dictionary.
    private StreamPipeline? _lastPipeline;

    /// <summary>Builds a producer; throws <see cref="ArgumentException"/> naming any invalid option.</summary>
    public KinesisProducer(KinesisProducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _parts = new ProducerParts(options);
        _admission = _parts.Context.Admission;
    }

    /// <summary>The options the producer was built with.</summary>
    public KinesisProducerOptions Options { get; }

    /// <summary>User records accepted and not yet acknowledged or failed.</summary>
    public long OutstandingRecords => _admission.Records;

    /// <summary>Bytes (data plus partition keys) of <see cref="OutstandingRecords"/>; never above <see cref="KinesisProducerOptions.MaxBufferedBytes"/> but for one oversized record.</summary>
    public long BufferedBytes => _admission.Bytes;

    /// <summary>
    /// Puts one record and completes when Kinesis has acknowledged it, with the shard, sequence number and
    /// attempts; throws <see cref="RecordFailedException"/> when it fails for good or outlives RecordTtl.
    /// </summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="partitionKey">1 to 256 Unicode characters; its MD5 picks the shard.</param>
    /// <param name="data">The data; copied, so the caller may reuse the buffer once this returns a task.</param>
    /// <param name="explicitHashKey">A decimal hash key in [0, 2^128-1] that overrides the partition key's hash.</param>
    /// <param name="cancellationToken">
    /// Cancels waiting for buffer room only. Once the record is accepted it is sent regardless; a
    /// record cannot be taken back from Kinesis.
    /// </param>
    public Task<PutResult> PutAsync(
        string streamName,
        string partitionKey,
        ReadOnlyMemory<byte> data,
        string? explicitHashKey = null,
        CancellationToken cancellationToken = default)
    {
        int size;
        HashKey hashKey;
        try
        {
            // The record's own task when there is room at once: no extra state machine per record.
            if (TryAdmit(streamName, partitionKey, data, explicitHashKey, out size, out hashKey))
            {
                return Buffer(streamName, partitionKey, data, explicitHashKey, hashKey, size, awaited: true)!.Completion!;
            }
        }
        catch (Exception ex)
        {
            return Task.FromException<PutResult>(ex);
        }

        return PutAfterWaitingAsync(streamName, partitionKey, data, explicitHashKey, hashKey, size, cancellationToken);
    }

    /// <summary>
    /// Puts one record without waiting for Kinesis (the KPL's asynchronous style): completes as soon as the
    /// record is buffered, which waits while the buffer is full. Failures go to
    /// <see cref="KinesisProducerOptions.OnRecordFailed"/>.
    /// </summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="partitionKey">1 to 256 Unicode characters; its MD5 picks the shard.</param>
    /// <param name="data">The data; copied before this returns.</param>
    /// <param name="explicitHashKey">A decimal hash key in [0, 2^128-1] that overrides the partition key's hash.</param>
    /// <param name="cancellationToken">Cancels waiting for buffer room.</param>
    public ValueTask EnqueueAsync(
        string streamName,
        string partitionKey,
        ReadOnlyMemory<byte> data,
        string? explicitHashKey = null,
        CancellationToken cancellationToken = default)
    {
        int size;
        HashKey hashKey;
        try
        {
            if (TryAdmit(streamName, partitionKey, data, explicitHashKey, out size, out hashKey))
            {
                Buffer(streamName, partitionKey, data, explicitHashKey, hashKey, size, awaited: false);
                return ValueTask.CompletedTask;
            }
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }

        return EnqueueAfterWaitingAsync(streamName, partitionKey, data, explicitHashKey, hashKey, size, cancellationToken);
    }

    /// <summary>
    /// Puts one record without a task per record: completes as soon as the record is buffered (waiting while
    /// the buffer is full), and later tells <paramref name="observer"/> exactly once whether it was stored,
    /// with <paramref name="token"/>. Its failure goes to the observer instead of
    /// <see cref="KinesisProducerOptions.OnRecordFailed"/>.
    /// </summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="partitionKey">1 to 256 Unicode characters; its MD5 picks the shard.</param>
    /// <param name="data">The data; copied before this returns.</param>
    /// <param name="explicitHashKey">A decimal hash key in [0, 2^128-1] that overrides the partition key's hash.</param>
    /// <param name="observer">Hears the outcome; see <see cref="IPutObserver"/> for the threads it runs on.</param>
    /// <param name="token">Any value the caller uses to find the record again, handed back with the outcome.</param>
    /// <param name="cancellationToken">Cancels waiting for buffer room (the observer then hears nothing: the record was not accepted).</param>
    public ValueTask EnqueueAsync(
        string streamName,
        string partitionKey,
        ReadOnlyMemory<byte> data,
        string? explicitHashKey,
        IPutObserver observer,
        long token,
        CancellationToken cancellationToken = default)
    {
        int size;
        HashKey hashKey;
        try
        {
            ArgumentNullException.ThrowIfNull(observer);
            if (TryAdmit(streamName, partitionKey, data, explicitHashKey, out size, out hashKey))
            {
                Buffer(streamName, partitionKey, data, explicitHashKey, hashKey, size, awaited: false, observer, token);
                return ValueTask.CompletedTask;
            }
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }

        return ObserveAfterWaitingAsync(streamName, partitionKey, data, explicitHashKey, hashKey, size, observer, token, cancellationToken);
    }

    /// <summary>
    /// Puts a run of records that share one partition key as one unit, for callers with many small records (a
    /// file shipper's consecutive lines): the run travels whole and in order inside one KPL aggregate, so its
    /// records succeed or fail together and <paramref name="observer"/> hears once for the run, with
    /// <paramref name="token"/>. Consumers see the records one by one, as if each had been put on its own.
    /// Completes as soon as the run is buffered (waiting while the buffer is full).
    /// </summary>
    /// <remarks>
    /// Needs <see cref="KinesisProducerOptions.AggregationEnabled"/>, and the run must fit in one aggregate on its
    /// own (<see cref="KinesisProducerOptions.AggregationMaxSize"/>, <see cref="KinesisProducerOptions.AggregationMaxCount"/>;
    /// see <see cref="AggregateBuilder.SizeOfRun"/>). A run counts as one record against
    /// <see cref="KinesisProducerOptions.MaxBufferedRecords"/>. A failed run reports
    /// <see cref="RecordFailure.RecordLengths"/>, so it can be put again as it was.
    /// </remarks>
    /// <param name="streamName">The stream.</param>
    /// <param name="partitionKey">1 to 256 Unicode characters, the key of every record of the run; its MD5 picks the shard.</param>
    /// <param name="data">The records' data back to back; copied before this returns.</param>
    /// <param name="recordLengths">Each record's length in <paramref name="data"/>, in order (at least one); copied before this returns.</param>
    /// <param name="observer">Hears the run's outcome; see <see cref="IPutObserver"/> for the threads it runs on.</param>
    /// <param name="token">Any value the caller uses to find the run again, handed back with the outcome.</param>
    /// <param name="cancellationToken">Cancels waiting for buffer room (the observer then hears nothing: the run was not accepted).</param>
    /// <exception cref="ArgumentException">The lengths are empty, negative or do not add up to the data, or the run does not fit in one aggregate.</exception>
    /// <exception cref="InvalidOperationException">Aggregation is off.</exception>
    public ValueTask EnqueueRunAsync(
        string streamName,
        string partitionKey,
        ReadOnlyMemory<byte> data,
        ReadOnlySpan<int> recordLengths,
        IPutObserver observer,
        long token,
        CancellationToken cancellationToken = default)
    {
        int size;
        HashKey hashKey;
        int[]? lengths;
        try
        {
            ArgumentNullException.ThrowIfNull(observer);
            lengths = _admission.CheckRun(partitionKey, data, recordLengths);
            if (lengths is null)
            {
                // A run of one is simply a record.
                return EnqueueAsync(streamName, partitionKey, data, null, observer, token, cancellationToken);
            }

            if (TryAdmit(streamName, partitionKey, data, null, out size, out hashKey, runSize: true))
            {
                Buffer(streamName, partitionKey, data, null, hashKey, size, awaited: false, observer, token, lengths);
                return ValueTask.CompletedTask;
            }
        }
        catch (Exception ex)
        {
            return ValueTask.FromException(ex);
        }

        return ObserveRunAfterWaitingAsync(streamName, partitionKey, data, lengths, hashKey, size, observer, token, cancellationToken);
    }

    /// <summary>
    /// Sends everything buffered now, without waiting for RecordMaxBufferedTime, and completes when every
    /// record accepted before the call has been acknowledged or reported failed.
    /// </summary>
    /// <param name="streamName">One stream, or <see langword="null"/> for all.</param>
    /// <param name="cancellationToken">Stops waiting (the flush itself goes on).</param>
    public Task FlushAsync(string? streamName = null, CancellationToken cancellationToken = default)
    {
        var pipelines = streamName is null
            ? _pipelines.Values.ToArray()
            : _pipelines.TryGetValue(streamName, out var one) ? [one] : [];
        return Task.WhenAll(pipelines.Select(p => p.FlushAsync())).WaitAsync(cancellationToken);
    }

    /// <summary>
    /// Flushes, waits up to <see cref="KinesisProducerOptions.ShutdownTimeout"/> for the records to be
    /// acknowledged, then fails whatever is left with <c>ProducerDisposed</c> and releases the connections.
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
            ProducerLog.ShutdownLeftRecords(_parts.Context.Logger, _admission.Records, Options.ShutdownTimeout);
        }

        foreach (var pipeline in _pipelines.Values)
        {
            await pipeline.StopAsync().ConfigureAwait(false);
        }

        await _parts.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Validates the record and takes its buffer room if there is some now.</summary>
    /// <returns><see langword="false"/> when the caller must wait for room.</returns>
    private bool TryAdmit(string streamName, string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, out int size, out HashKey hashKey, bool runSize = false)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);

        // Only valid names ever get a pipeline: the last one's needs no check.
        var knownStream = ReferenceEquals(streamName, Volatile.Read(ref _lastPipeline)?.StreamName);
        return _admission.TryAdmit(streamName, partitionKey, data, explicitHashKey, out size, out hashKey, runSize, knownStream);
    }

    private async Task<PutResult> PutAfterWaitingAsync(
        string streamName, string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, HashKey hashKey, int size, CancellationToken cancellationToken)
    {
        await _admission.WaitAsync(size, cancellationToken).ConfigureAwait(false);
        return await Buffer(streamName, partitionKey, data, explicitHashKey, hashKey, size, awaited: true)!.Completion!.ConfigureAwait(false);
    }

    private async ValueTask EnqueueAfterWaitingAsync(
        string streamName, string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, HashKey hashKey, int size, CancellationToken cancellationToken)
    {
        await _admission.WaitAsync(size, cancellationToken).ConfigureAwait(false);
        Buffer(streamName, partitionKey, data, explicitHashKey, hashKey, size, awaited: false);
    }

    private async ValueTask ObserveAfterWaitingAsync(
        string streamName, string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, HashKey hashKey, int size, IPutObserver observer, long token, CancellationToken cancellationToken)
    {
        await _admission.WaitAsync(size, cancellationToken).ConfigureAwait(false);
        Buffer(streamName, partitionKey, data, explicitHashKey, hashKey, size, awaited: false, observer, token);
    }

    private async ValueTask ObserveRunAfterWaitingAsync(
        string streamName, string partitionKey, ReadOnlyMemory<byte> data, int[] lengths, HashKey hashKey, int size, IPutObserver observer, long token, CancellationToken cancellationToken)
    {
        await _admission.WaitAsync(size, cancellationToken).ConfigureAwait(false);
        Buffer(streamName, partitionKey, data, null, hashKey, size, awaited: false, observer, token, lengths);
    }

    /// <summary>
    /// Hands a record (or run) whose buffer room is taken to its stream's pipeline: as a <see cref="UserRecord"/>,
    /// returned, or, when nobody watches it and its stream keeps such records as counts, as an entry of the
    /// pipeline's inbox (<see cref="InboxData"/>; <see langword="null"/> is returned).
    /// </summary>
    private UserRecord? Buffer(
        string streamName, string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, HashKey hashKey, int size, bool awaited, IPutObserver? observer = null, long token = 0, int[]? lengths = null)
    {
        var pipeline = Volatile.Read(ref _lastPipeline);
        if (pipeline is null || !ReferenceEquals(pipeline.StreamName, streamName))
        {
            // GetOrAdd may build a spare under a race; only the stored one is started.
            pipeline = _pipelines.GetOrAdd(streamName, static (name, parts) => parts.CreatePipeline(name), _parts);
            pipeline.EnsureStarted();
            Volatile.Write(ref _lastPipeline, pipeline);
        }

        var epoch = pipeline.EnterEpoch();
        if (!awaited && observer is null && lengths is null && pipeline.TakesEntry(data.Length))
        {
            if (pipeline.PostEntry(partitionKey, explicitHashKey, data.Span, size, epoch, hashKey)
                && Volatile.Read(ref _disposed) != 0 && pipeline.IsStopping)
            {
                // Posted while the pipeline stopped: it may have drained its inbox already.
                pipeline.DrainAfterStop();
            }

            return null;
        }

        var now = Options.TimeProvider.GetTimestamp();
        var record = new UserRecord(pipeline.Context, partitionKey, explicitHashKey, data.Span, size, now, epoch, awaited, observer, token, lengths);
        if (!pipeline.Post(record, hashKey))
        {
            // The pipeline counts the records it takes in (UserRecordsReceived); this one never got there.
            _parts.Context.Metrics.Received(streamName, record.Count);
            record.TryFail(RecordFailure.ProducerDisposed, StreamPipeline.NotBufferedMessage);
        }
        else if (Volatile.Read(ref _disposed) != 0 && pipeline.IsStopping)
        {
            record.TryFail(RecordFailure.ProducerDisposed, StreamPipeline.NotBufferedMessage);
        }

        return record;
    }
}
