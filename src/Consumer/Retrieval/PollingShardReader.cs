using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Records;
using Kinesis.Clients.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Kinesis.Clients.Consumer.Retrieval;

/// <summary>
/// Reads one shard with GetShardIterator and GetRecords, ahead of its consumer within bounds, for one shard lease.
/// </summary>
/// <remarks>
/// <para>
/// Calls start at least <see cref="ShardReaderOptions.MinTimeBetweenReads"/> apart, and
/// <see cref="ShardReaderOptions.IdleTimeBetweenReads"/> apart after a call that found nothing at the tip.
/// Throttling and retryable failures (5xx, resets, time-outs) are retried with the same iterator after an
/// exponential backoff with jitter, for as long as the reader runs: GetRecords with the same iterator returns the
/// same records, so a retry neither loses nor repeats any. An expired iterator is replaced by one at the position
/// after the last batch read (<see cref="StartingPosition.AfterRecord"/>; before the first, the starting
/// position again). Any other failure ends the reading, and <see cref="ReadAsync"/> throws it after the batches
/// read before.
/// </para>
/// <para>
/// Whole pages go to the consumer, so the position after a batch always follows a completely delivered Kinesis
/// record. No call starts while the batches held (read ahead, or being processed) reach any bound of
/// <see cref="ShardReaderOptions"/>; the consumer releases a batch by asking for the next.
/// </para>
/// </remarks>
internal sealed partial class PollingShardReader : IShardRecordSource
{
    private readonly KinesisClient _client;
    private readonly string _stream;
    private readonly string _shardId;
    private readonly HashKeyRange? _hashKeyRange;
    private readonly ShardReaderOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _retry;
    private readonly PrefetchBudget _budget;
    private readonly Channel<Prefetched> _batches = Channel.CreateUnbounded<Prefetched>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });

    private readonly Lock _stopGate = new();
    private readonly CancellationTokenSource _stop = new();
    private bool _stopDisposed;
    private Task? _loop;
    private int _started;
    private int _disposed;

    // Owned by the read loop.
    private volatile StartingPosition _position;
    private string? _iterator;
    private bool _called;
    private long _lastCallStart;
    private TimeSpan _gap;

    private long _getRecordsCalls;
    private long _throttledCalls;
    private long _failedCalls;
    private long _expiredIterators;
    private long _outOfRangeRecords;

    /// <summary>Creates a reader; nothing is read until <see cref="ReadAsync"/> is enumerated.</summary>
    /// <param name="client">The Kinesis client; not disposed by the reader.</param>
    /// <param name="stream">The stream name, or its ARN.</param>
    /// <param name="shardId">The shard.</param>
    /// <param name="hashKeyRange">The shard's hash key range, to count sub-records outside it; <see langword="null"/> to skip the check.</param>
    /// <param name="start">Where to start.</param>
    /// <param name="options">Pacing, prefetch bounds and backoff; <see langword="null"/> for the defaults. Copied.</param>
    /// <param name="timeProvider">The clock for pacing and backoff; <see langword="null"/> for the system clock.</param>
    /// <param name="logger">The logger; <see langword="null"/> for none.</param>
    /// <exception cref="ArgumentException">An option is invalid, or the stream or shard is empty.</exception>
    public PollingShardReader(
        KinesisClient client,
        string stream,
        string shardId,
        HashKeyRange? hashKeyRange,
        StartingPosition start,
        ShardReaderOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrEmpty(stream);
        ArgumentException.ThrowIfNullOrEmpty(shardId);
        ArgumentNullException.ThrowIfNull(start);
        _options = options?.Clone() ?? new ShardReaderOptions();
        _options.Validate();
        _client = client;
        _stream = stream;
        _shardId = shardId;
        _hashKeyRange = hashKeyRange;
        _position = start;
        _time = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        _budget = new PrefetchBudget(_options.MaxPrefetchBatches, _options.MaxPrefetchRecords, _options.MaxPrefetchBytes);

        // A reader retries for as long as it holds its lease; the consumer stops it by disposing.
        _retry = BackoffRetry.ForExceptions(
            static ex => ex is AwsServiceException { IsRetryable: true },
            _options.RetryBaseDelay,
            _options.RetryMaxDelay,
            _time,
            attempt => OnRetry(attempt.Exception, attempt.Number, attempt.Delay));
    }

    /// <summary>Where encrypted records get their data keys; <see langword="null"/> leaves them undecodable.</summary>
    internal RecordDecryptionSource? Decryption { get; init; }

    /// <summary>Where calls are reported; set before reading. <value>Default: nowhere.</value></summary>
    internal IReadMetrics? Metrics { get; set; }

    /// <summary>The position after the last batch read (not necessarily consumed); the starting position before any.</summary>
    public StartingPosition Position => _position;

    /// <summary>GetRecords calls made, including failed ones.</summary>
    public long GetRecordsCalls => Interlocked.Read(ref _getRecordsCalls);

    /// <summary>Calls (GetRecords or GetShardIterator) refused for throttling, and retried.</summary>
    public long ThrottledCalls => Interlocked.Read(ref _throttledCalls);

    /// <summary>Calls that failed with another retryable error, and were retried.</summary>
    public long FailedCalls => Interlocked.Read(ref _failedCalls);

    /// <summary>Iterators that expired and were replaced (the KCL's ExpiredIterator metric).</summary>
    public long ExpiredIterators => Interlocked.Read(ref _expiredIterators);

    /// <summary>Sub-records delivered although their hash key is outside the shard's range.</summary>
    public long OutOfRangeRecords => Interlocked.Read(ref _outOfRangeRecords);

    /// <summary>Batches held: read ahead, or being processed.</summary>
    public int BufferedBatches => _budget.Batches;

    /// <summary>User records held: read ahead, or being processed.</summary>
    public long BufferedRecords => _budget.Records;

    /// <summary>Data bytes held: read ahead, or being processed.</summary>
    public long BufferedBytes => _budget.Bytes;

    /// <inheritdoc/>
    public async IAsyncEnumerable<ShardBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException($"Shard {_shardId} of stream {_stream} is already being read; a reader is enumerated once.");
        }

        var stopToken = _stop.Token;
        Volatile.Write(ref _loop, Task.Run(() => RunAsync(stopToken), CancellationToken.None));
        try
        {
            while (await _batches.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                while (_batches.Reader.TryRead(out var item))
                {
                    if (Volatile.Read(ref _disposed) != 0)
                    {
                        yield break;
                    }

                    yield return item.Batch;

                    // The consumer is back for more: the batch it processed no longer counts against the bounds.
                    _budget.Release(item.Batch.Records.Count, item.Bytes);
                }
            }
        }
        finally
        {
            Stop();
        }
    }

    /// <summary>Stops reading and waits for the read loop to end; batches read ahead are dropped.</summary>
    /// <returns>A task that completes when stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Stop();
        if (Volatile.Read(ref _loop) is { } loop)
        {
            await loop.ConfigureAwait(false);
        }

        _batches.Writer.TryComplete();
        lock (_stopGate)
        {
            _stopDisposed = true;
            _stop.Dispose();
        }
    }

    private void Stop()
    {
        lock (_stopGate)
        {
            if (!_stopDisposed)
            {
                _stop.Cancel();
            }
        }
    }

    private readonly record struct Prefetched(ShardBatch Batch, long Bytes);
}
