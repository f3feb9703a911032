using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Metrics;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Pipeline;
using Kinesis.Clients.Records;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

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
    private readonly KinesisClient _client;
    private readonly ConcurrentDictionary<string, StreamPipeline> _pipelines = new(StringComparer.Ordinal);
    private readonly BufferBudget _budget;
    private readonly CallbackDispatcher _callbacks;
    private readonly PartitionKeyCache _keys = new();
    private readonly long _ttlTicks;
    private readonly CloudWatchMetricsPublisher? _publisher;
    private int _disposed;

    /// <summary>Builds a producer; throws <see cref="ArgumentException"/> naming any invalid option.</summary>
    public KinesisProducer(KinesisProducerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        Logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<KinesisProducer>();
        _client = new KinesisClient(new KinesisClientOptions
        {
            Region = options.Region,
            ServiceUrl = options.KinesisEndpoint,
            Credentials = options.Credentials,
            Protocol = options.Protocol,
            RequestTimeout = options.RequestTimeout,
            MaxConnections = options.MaxConnections,
            MaxRecordSizeBytes = Math.Max(options.MaxUserRecordSize, Math.Min(options.AggregationMaxSize + 256, KinesisClientOptions.LargestMaxRecordSizeBytes)),
            HttpHandler = options.HttpHandler,
            TimeProvider = options.TimeProvider,
        });
        _budget = new BufferBudget(options.MaxBufferedBytes, options.MaxBufferedRecords);
        _callbacks = new CallbackDispatcher(options.OnRecordFailed, Logger);
        _ttlTicks = (long)Math.Min(long.MaxValue / 2.0, options.RecordTtl.TotalSeconds * options.TimeProvider.TimestampFrequency);
        Metrics = new ProducerMetrics(() => _budget.Records, options.TimeProvider);
        if (options.MetricsLevel != MetricsLevel.None)
        {
            // Uploads run on the publisher's own timer and never hold up records; failures are logged.
            _publisher = CloudWatchMetricsPublisher.Create(
                new CloudWatchMetricsPublisherOptions
                {
                    Meter = Metrics.Meter,
                    Metrics = ProducerMetrics.Definitions,
                    Namespace = options.MetricsNamespace,
                    Level = options.MetricsLevel,
                    Granularity = options.MetricsGranularity,
                    UploadInterval = options.MetricsUploadDelay,
                    TimeProvider = options.TimeProvider,
                },
                options.Region,
                options.CloudWatchEndpoint,
                options.Credentials,
                options.LoggerFactory);
        }
        RetryPipeline = BuildRetryPipeline(options);
    }

    /// <summary>The options the producer was built with.</summary>
    public KinesisProducerOptions Options { get; }

    /// <summary>User records accepted and not yet acknowledged or failed.</summary>
    public long OutstandingRecords => _budget.Records;

    /// <summary>Bytes (data plus partition keys) of <see cref="OutstandingRecords"/>; never above <see cref="KinesisProducerOptions.MaxBufferedBytes"/> but for one oversized record.</summary>
    public long BufferedBytes => _budget.Bytes;

    internal ILogger Logger { get; }

    internal ProducerMetrics Metrics { get; }

    internal ResiliencePipeline<BatchProgress> RetryPipeline { get; }

    // Polly validates the options with DataAnnotations when the strategy is added, through reflection the native
    // AOT compiler cannot prove safe in general (it names Enum.GetValues(Type)). The options are fixed types, and
    // the natively compiled agent runs this path in its end-to-end tests.
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Fixed option types; the native agent's end-to-end tests run this path.")]
    private static ResiliencePipeline<BatchProgress> BuildRetryPipeline(KinesisProducerOptions options)
    {
        return new ResiliencePipelineBuilder<BatchProgress> { TimeProvider = options.TimeProvider }
            .AddRetry(new RetryStrategyOptions<BatchProgress>
            {
                ShouldHandle = new PredicateBuilder<BatchProgress>().HandleResult(BatchProgress.Retry),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,

                // Records leave the retry loop by succeeding, failing for good, or expiring at RecordTtl.
                MaxRetryAttempts = int.MaxValue,
            })
            .Build();
    }

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
                return Buffer(streamName, partitionKey, data, explicitHashKey, hashKey, size, awaited: true).Completion!;
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
            lengths = CheckRun(partitionKey, data, recordLengths);
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
            ProducerLog.ShutdownLeftRecords(Logger, _budget.Records, Options.ShutdownTimeout);
        }

        foreach (var pipeline in _pipelines.Values)
        {
            await pipeline.StopAsync().ConfigureAwait(false);
        }

        await _callbacks.DisposeAsync().ConfigureAwait(false);
        if (_publisher is not null)
        {
            await _publisher.DisposeAsync().ConfigureAwait(false);
        }

        _client.Dispose();
        Metrics.Dispose();
    }

    internal void ReleaseBuffer(long bytes, long records) => _budget.Release(bytes, records);

    /// <summary>The hash key of an accepted (so valid) record, from the key cache when it is there.</summary>
    internal HashKey HashKeyOf(string partitionKey, string? explicitHashKey) =>
        explicitHashKey is not null ? HashKey.Parse(explicitHashKey)
        : _keys.TryGet(partitionKey, out var hashKey, out _) ? hashKey
        : HashKey.FromPartitionKey(partitionKey);

    // Saturates rather than wraps: a TTL of centuries means "never expire", not "already expired".

    /// <summary>When a record accepted at <paramref name="acceptedAt"/> expires.</summary>
    internal long DeadlineOf(long acceptedAt) => acceptedAt > long.MaxValue - _ttlTicks ? long.MaxValue : acceptedAt + _ttlTicks;

    internal void NotifySucceeded(IPutObserver observer, long token, string shardId, string sequenceNumber)
    {
        try
        {
            observer.OnPutSucceeded(token, shardId, sequenceNumber);
        }
        catch (Exception ex)
        {
            ProducerLog.CallbackFailed(Logger, ex);
        }
    }

    internal void ReportFailure(RecordFailure failure, IPutObserver? observer = null, long token = 0)
    {
        if (failure.ErrorCode == RecordFailure.Expired)
        {
            Metrics.Expired(failure.StreamName, failure.RecordCount);
        }

        _callbacks.Report(failure, observer, token);
    }

    /// <summary>Validates a run's shape; returns its lengths copied, or <see langword="null"/> for a run of one record.</summary>
    private int[]? CheckRun(string partitionKey, ReadOnlyMemory<byte> data, ReadOnlySpan<int> recordLengths)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        if (!Options.AggregationEnabled)
        {
            throw new InvalidOperationException("EnqueueRunAsync needs AggregationEnabled: a run travels inside one KPL aggregate.");
        }

        if (recordLengths.IsEmpty)
        {
            throw new ArgumentException("A run needs at least one record length.", nameof(recordLengths));
        }

        if (recordLengths.Length > Options.AggregationMaxCount)
        {
            throw new ArgumentException(
                $"The run has {recordLengths.Length} records; AggregationMaxCount is {Options.AggregationMaxCount}.", nameof(recordLengths));
        }

        long sum = 0;
        foreach (var length in recordLengths)
        {
            if (length < 0)
            {
                throw new ArgumentException($"Record lengths must not be negative; found {length}.", nameof(recordLengths));
            }

            sum += length;
        }

        if (sum != data.Length)
        {
            throw new ArgumentException($"The record lengths add up to {sum} bytes but the data has {data.Length}.", nameof(recordLengths));
        }

        var encoded = AggregateBuilder.SizeOfRun(partitionKey, null, recordLengths);
        if (recordLengths.Length > 1 && encoded > Options.AggregationMaxSize)
        {
            throw new ArgumentException(
                $"The run of {recordLengths.Length} records ({data.Length} bytes of data) takes {encoded} bytes as an aggregate; AggregationMaxSize is {Options.AggregationMaxSize}.",
                nameof(data));
        }

        return recordLengths.Length == 1 ? null : recordLengths.ToArray();
    }

    /// <summary>Validates the record and takes its buffer room if there is some now.</summary>
    /// <returns><see langword="false"/> when the caller must wait for room.</returns>
    /// <remarks>With runSize, a run already checked to fit an aggregate: the single-record size limit does not apply.</remarks>
    private bool TryAdmit(string streamName, string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, out int size, out HashKey hashKey, bool runSize = false)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        RecordValidation.ValidateStreamName(streamName, nameof(streamName));
        ArgumentNullException.ThrowIfNull(partitionKey);
        int keyBytes;
        if (explicitHashKey is not null || !_keys.TryGet(partitionKey, out hashKey, out keyBytes))
        {
            RecordValidation.ValidatePartitionKey(partitionKey, nameof(partitionKey));
            RecordValidation.ValidateExplicitHashKey(explicitHashKey, nameof(explicitHashKey));
            keyBytes = Encoding.UTF8.GetByteCount(partitionKey);
            if (explicitHashKey is null)
            {
                hashKey = HashKey.FromPartitionKey(partitionKey);
                _keys.Add(partitionKey, hashKey, keyBytes);
            }
            else
            {
                hashKey = HashKey.Parse(explicitHashKey);
            }
        }

        if (!runSize && (long)data.Length + keyBytes > Options.MaxUserRecordSize)
        {
            // Throws, with the message naming both sizes.
            RecordValidation.ValidateRecordSize(partitionKey, data.Length, Options.MaxUserRecordSize, nameof(data));
        }

        size = data.Length + keyBytes;
        if (_budget.TryAcquire(size))
        {
            return true;
        }

        if (Options.FailWhenBufferFull)
        {
            throw new ProducerBufferFullException(
                $"The producer's buffer is full ({_budget.Records} records, {_budget.Bytes} of {Options.MaxBufferedBytes} bytes; record of {size} bytes for stream {streamName}).");
        }

        return false;
    }

    private async Task<PutResult> PutAfterWaitingAsync(
        string streamName, string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, HashKey hashKey, int size, CancellationToken cancellationToken)
    {
        await _budget.AcquireAsync(size, cancellationToken).ConfigureAwait(false);
        return await Buffer(streamName, partitionKey, data, explicitHashKey, hashKey, size, awaited: true).Completion!.ConfigureAwait(false);
    }

    private async ValueTask EnqueueAfterWaitingAsync(
        string streamName, string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, HashKey hashKey, int size, CancellationToken cancellationToken)
    {
        await _budget.AcquireAsync(size, cancellationToken).ConfigureAwait(false);
        Buffer(streamName, partitionKey, data, explicitHashKey, hashKey, size, awaited: false);
    }

    private async ValueTask ObserveAfterWaitingAsync(
        string streamName, string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, HashKey hashKey, int size, IPutObserver observer, long token, CancellationToken cancellationToken)
    {
        await _budget.AcquireAsync(size, cancellationToken).ConfigureAwait(false);
        Buffer(streamName, partitionKey, data, explicitHashKey, hashKey, size, awaited: false, observer, token);
    }

    private async ValueTask ObserveRunAfterWaitingAsync(
        string streamName, string partitionKey, ReadOnlyMemory<byte> data, int[] lengths, HashKey hashKey, int size, IPutObserver observer, long token, CancellationToken cancellationToken)
    {
        await _budget.AcquireAsync(size, cancellationToken).ConfigureAwait(false);
        Buffer(streamName, partitionKey, data, null, hashKey, size, awaited: false, observer, token, lengths);
    }

    /// <summary>Hands a record (or run) whose buffer room is taken to its stream's pipeline.</summary>
    private UserRecord Buffer(
        string streamName, string partitionKey, ReadOnlyMemory<byte> data, string? explicitHashKey, HashKey hashKey, int size, bool awaited, IPutObserver? observer = null, long token = 0, int[]? lengths = null)
    {
        var pipeline = _pipelines.GetOrAdd(streamName, static (name, self) => self.CreatePipeline(name), this);
        pipeline.EnsureStarted();
        var epoch = pipeline.EnterEpoch();
        var now = Options.TimeProvider.GetTimestamp();
        var record = new UserRecord(pipeline, partitionKey, explicitHashKey, data.Span, size, now, epoch, awaited, observer, token, lengths);
        if (!pipeline.Post(record, hashKey))
        {
            // The pipeline counts the records it takes in (UserRecordsReceived); this one never got there.
            Metrics.Received(streamName, record.Count);
            record.TryFail(RecordFailure.ProducerDisposed, "The producer was disposed before the record could be buffered.");
        }
        else if (Volatile.Read(ref _disposed) != 0 && pipeline.StopToken.IsCancellationRequested)
        {
            record.TryFail(RecordFailure.ProducerDisposed, "The producer was disposed before the record could be buffered.");
        }

        return record;
    }

    private StreamPipeline CreatePipeline(string streamName)
    {
        // GetOrAdd may build a spare under a race; only the stored one is started.
        var pipeline = new StreamPipeline(this, streamName, _client);
        return pipeline;
    }
}
