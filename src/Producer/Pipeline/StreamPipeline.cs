using System.Threading.Channels;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Limits;
using Kinesis.Clients.Records;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// One stream's pipeline: a single loop that owns all buffering state (no locks on the hot path), fed by
/// an inbox that callers and send tasks post to. It routes user records to predicted shards, fills one
/// aggregate per shard, seals aggregates when full or when their oldest record has waited
/// RecordMaxBufferedTime, and collects ready Kinesis records into PutRecords requests within the per-shard
/// rate limits, handing each request to a <see cref="BatchSender"/>.
/// </summary>
internal sealed partial class StreamPipeline : IAsyncDisposable
{
    private const int MaxDrainPerTurn = 65_536;
    private static readonly TimeSpan SweepInterval = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan MaxIdleWait = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MapRetryDelay = TimeSpan.FromSeconds(1);

    private readonly KinesisProducerOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<InboxItem> _inbox = Channel.CreateUnbounded<InboxItem>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly Dictionary<string, ShardBuffer> _shards = new(StringComparer.Ordinal);
    private readonly List<ShardBuffer> _shardOrder = [];
    private readonly List<(UserRecord Record, HashKey Key)> _unrouted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly long _lingerTicks;
    private readonly ShardMapSource _maps;
    private readonly BatchSender _sender;

    private readonly object _flushLock = new();
    private FlushEpoch _epoch = new(null);
    private ShardMap? _map;
    private ShardBuffer?[] _routed = [];
    private Task _loop = Task.CompletedTask;
    private int _inFlightBatches;
    private int _readyCount;
    private long _readyBytes;
    private int _rotation;
    private FlushEpoch? _flushing;
    private long _lastSweep;
    private long _nextMapRefresh;
    private long _mapRetryAt = long.MaxValue;
    private int _started;
    private long _received;

    public StreamPipeline(KinesisProducer producer, string streamName, KinesisClient client)
    {
        Producer = producer;
        StreamName = streamName;
        _options = producer.Options;
        _time = _options.TimeProvider;
        _logger = producer.Logger;
        _lingerTicks = Ticks(_options.RecordMaxBufferedTime);
        _maps = new ShardMapSource(client, streamName, _time, _logger, producer.CredentialsLog, map => _inbox.Writer.TryWrite(new InboxItem(new MapRefreshed(map))));
        _sender = new BatchSender(this, client, _maps, producer.RetryPipeline);
    }

    public KinesisProducer Producer { get; }

    public string StreamName { get; }

    public KinesisProducerOptions Options => _options;

    public TimeProvider Time => _time;

    public ILogger Logger => _logger;

    public CancellationToken StopToken => _stop.Token;

    /// <summary>Starts the loop once; later calls do nothing.</summary>
    public void EnsureStarted()
    {
        // A plain read first: this runs for every record, and an interlocked exchange is a full fence.
        if (Volatile.Read(ref _started) == 0 && Interlocked.Exchange(ref _started, 1) == 0)
        {
            _lastSweep = _time.GetTimestamp();
            _loop = Task.Run(RunAsync);
        }
    }

    /// <summary>Counts a record into the current flush epoch; called before the record is posted.</summary>
    public FlushEpoch EnterEpoch()
    {
        while (true)
        {
            var epoch = Volatile.Read(ref _epoch);
            epoch.Enter();
            if (!epoch.IsClosed)
            {
                return epoch;
            }

            // A flush closed it in between: this record belongs to the next epoch.
            epoch.Exit();
        }
    }

    /// <returns><see langword="false"/> when the pipeline has stopped taking records.</returns>
    public bool Post(UserRecord record, HashKey hashKey) => _inbox.Writer.TryWrite(new InboxItem(record, hashKey));

    /// <summary>Sends everything buffered now; completes when every record accepted before the call has completed.</summary>
    public Task FlushAsync()
    {
        FlushEpoch closing;
        lock (_flushLock)
        {
            closing = _epoch;
            Volatile.Write(ref _epoch, new FlushEpoch(closing));
            closing.Close();
        }

        _inbox.Writer.TryWrite(new InboxItem(new FlushRequest(closing)));
        return closing.Drained;
    }

    /// <summary>Called exactly once per record that fails.</summary>
    public void OnRecordCompleted(UserRecord record, bool succeeded)
    {
        Producer.ReleaseBuffer(record.Size, 1);
        record.Epoch.Exit();
    }

    /// <summary>Releases the buffer room of records just completed by <see cref="UserRecord.TrySucceed"/>, then counts them out of their flush epochs.</summary>
    public void OnRecordsStored(List<UserRecord> stored)
    {
        long bytes = 0;
        foreach (var record in stored)
        {
            bytes += record.Size;
        }

        Producer.ReleaseBuffer(bytes, stored.Count);

        // Records of one Kinesis record nearly always share a flush epoch: leave it once per run of them,
        // not once per record (an interlocked decrement each).
        var i = 0;
        while (i < stored.Count)
        {
            var epoch = stored[i].Epoch;
            var run = 1;
            while (i + run < stored.Count && ReferenceEquals(stored[i + run].Epoch, epoch))
            {
                run++;
            }

            epoch.Exit(run);
            i += run;
        }
    }

    /// <summary>Records of a Kinesis record that landed on a shard not owning their hash keys: route them again.</summary>
    public void Reroute(List<UserRecord> records) => PostControl(new RerouteRecords(records));

    public void RequestMapRefresh() => PostControl(RefreshRequest.Instance);

    public void OnKinesisRecordDone(string predictedShardId) => PostControl(new ShardReleased(predictedShardId));

    public void OnBatchDone() => PostControl(BatchDone.Instance);

    /// <summary>Stops the loop, cancels sends in flight and fails every record still held with ProducerDisposed.</summary>
    public async Task StopAsync()
    {
        _inbox.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (Exception)
        {
            // A crash was logged and its records failed where it happened.
        }

        // Sends in flight see the cancellation and fail their own records.
        await Task.WhenAll(_sends).ConfigureAwait(false);
        FailEverything(RecordFailure.ProducerDisposed, "The producer was disposed before the record could be sent.");
        _stop.Dispose();
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private void PostControl(object message)
    {
        if (!_inbox.Writer.TryWrite(new InboxItem(message)) && message is RerouteRecords reroute)
        {
            foreach (var record in reroute.Records)
            {
                record.TryFail(RecordFailure.ProducerDisposed, "The producer was disposed before the record could be re-sent.");
            }
        }
    }

    private async Task RunAsync()
    {
        _ = RefreshMapAsync(force: true);
        var reader = _inbox.Reader;
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var drained = 0;
                while (drained < MaxDrainPerTurn && reader.TryRead(out var item))
                {
                    Handle(item);
                    drained++;
                }

                ReportReceived();
                var now = _time.GetTimestamp();
                Tick(now);
                if (reader.TryPeek(out _))
                {
                    continue;
                }

                var wait = NextWakeUp(now);
                if (wait > TimeSpan.Zero)
                {
                    await WaitAsync(reader, wait).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            ProducerLog.PipelineCrashed(_logger, StreamName, ex);
            FailEverything("InternalError", $"The producer's pipeline failed: {ex.Message}");
            throw;
        }
    }

    private async Task WaitAsync(ChannelReader<InboxItem> reader, TimeSpan wait)
    {
        using var timeout = new CancellationTokenSource(wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timeout.Token);
        try
        {
            await reader.WaitToReadAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
        {
            // The wait ran out; time to look at deadlines again.
        }
    }

    private void Tick(long now)
    {
        SealDue(now);
        if (_time.GetElapsedTime(_lastSweep, now) >= SweepInterval)
        {
            ExpireDue(now);
            _lastSweep = now;
        }

        if (now >= _mapRetryAt || (_map is not null && now >= _nextMapRefresh))
        {
            _mapRetryAt = long.MaxValue;
            _ = RefreshMapAsync(force: _map is null);
        }

        Dispatch(now);
    }

    /// <summary>
    /// While a flush waits for its records, everything is sealed and sent at once: the flushed records may
    /// still be on their way in (no shard map yet, or re-routed), so this holds until they have all completed.
    /// </summary>
    private bool FlushPending
    {
        get
        {
            if (_flushing is { } epoch && epoch.Drained.IsCompleted)
            {
                _flushing = null;
            }

            return _flushing is not null;
        }
    }

    private async Task RefreshMapAsync(bool force)
    {
        _nextMapRefresh = _time.GetTimestamp() + Ticks(_options.ShardMapRefreshInterval);
        try
        {
            await _maps.RefreshAsync(force, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !_stop.IsCancellationRequested)
        {
            _inbox.Writer.TryWrite(new InboxItem(MapFailed.Instance));
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Adds the user records taken in since the last report to UserRecordsReceived: once per turn of the loop,
    /// not once per record on the caller's thread, where a listening exporter (the CloudWatch publisher by
    /// default) cost a tag lookup and a lock per record, about 15 % of the producer's time.
    /// </summary>
    private void ReportReceived()
    {
        if (_received > 0)
        {
            Producer.Metrics.Received(StreamName, _received);
            _received = 0;
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private ShardBuffer BufferFor(string shardId)
    {
        if (!_shards.TryGetValue(shardId, out var buffer))
        {
            var builder = _options.AggregationEnabled
                ? new AggregateBuilder(_options.AggregationMaxSize, _options.AggregationMaxCount)
                : null;
            buffer = new ShardBuffer(shardId, builder, new ShardRateLimiter(_options.RateLimit, _time.GetTimestamp(), _time.TimestampFrequency));
            _shards.Add(shardId, buffer);
            _shardOrder.Add(buffer);
        }

        return buffer;
    }

    /// <summary>A message for the loop; a new user record comes with its hash key (see <see cref="UserRecord.ComputeHashKey"/>).</summary>
    private readonly record struct InboxItem(object Message, HashKey Key = default);

    private sealed record MapRefreshed(ShardMap Map);

    private sealed record RerouteRecords(List<UserRecord> Records);

    private sealed record ShardReleased(string ShardId);

    private sealed record FlushRequest(FlushEpoch Epoch);

    private sealed class RefreshRequest
    {
        public static readonly RefreshRequest Instance = new();
    }

    private sealed class MapFailed
    {
        public static readonly MapFailed Instance = new();
    }

    private sealed class BatchDone
    {
        public static readonly BatchDone Instance = new();
    }
}
