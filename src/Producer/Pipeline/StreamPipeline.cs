using System.Threading.Channels;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Records;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// One stream's pipeline: a single loop that owns all buffering state (no locks on the hot path), fed by an
/// inbox that callers and send tasks post to. It has the <see cref="RecordRouter"/> put user records into the
/// <see cref="ShardBuffers"/> of their predicted shards, asks the <see cref="BatchPlanner"/> what to send and when to
/// wake, and hands each request to a <see cref="BatchSender"/> while it holds one of the <see cref="RequestSlots{TWaiter}"/>.
/// The decisions live in those; this class does the I/O around them.
/// </summary>
internal sealed partial class StreamPipeline : IAsyncDisposable
{
    private const int MaxDrainPerTurn = 65_536;
    private static readonly TimeSpan MapRetryDelay = TimeSpan.FromSeconds(1);

    private readonly StreamContext _context;
    private readonly KinesisProducerOptions _options;
    private readonly TimeProvider _time;
    private readonly Channel<InboxItem> _inbox = Channel.CreateUnbounded<InboxItem>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false, AllowSynchronousContinuations = false });

    private readonly ShardBuffers _buffers;
    private readonly RecordRouter _router;
    private readonly BatchPlanner _planner;
    private readonly RequestSlots<SlotRequest> _slots;
    private readonly List<Task> _sends = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly ShardMapSource _maps;
    private readonly BatchSender _sender;

    private readonly FlushTracker _flushes = new();
    private readonly InboxData? _data;
    private InboxReleases _released;
    private readonly Lock _drain = new();
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task _loop = Task.CompletedTask;
    private long _lastSweep;
    private long _nextMapRefresh;
    private long _mapRetryAt = long.MaxValue;
    private int _started;
    private int _stopping;
    private long _received;

    public StreamPipeline(StreamContext context, KinesisClient client)
    {
        _context = context;
        _options = context.Producer.Options;
        _time = context.Producer.Time;
        _buffers = new ShardBuffers(_options, Ticks(_options.RecordMaxBufferedTime), _time.TimestampFrequency, context.EncryptionReserve);
        _router = new RecordRouter(_buffers, () => _ = RefreshMapAsync(force: false));
        _planner = BatchPlanner.For(_options, _time.TimestampFrequency);
        _slots = new RequestSlots<SlotRequest>(_options.MaxConnections, GrantRetry);
        _maps = new ShardMapSource(client, context.StreamName, _time, Logger, CredentialsLog, map => _inbox.Writer.TryWrite(new InboxItem(new MapRefreshed(map))));
        _sender = new BatchSender(this, client, _maps, context.Producer.RetryPipeline);
        _data = _buffers.CountsUnobserved ? new InboxData(context) : null;
    }

    public StreamContext Context => _context;

    public string StreamName => _context.StreamName;

    public KinesisProducerOptions Options => _options;

    public TimeProvider Time => _time;

    public ILogger Logger => _context.Producer.Logger;

    public ProducerMetrics Metrics => _context.Producer.Metrics;

    public CredentialsFailureLog CredentialsLog => _context.Producer.CredentialsLog;

    public CancellationToken StopToken => _stop.Token;

    /// <summary>Whether <see cref="StopAsync"/> has begun (readable at any time, unlike <see cref="StopToken"/> once stopped).</summary>
    public bool IsStopping => Volatile.Read(ref _stopping) != 0;

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
    public FlushEpoch EnterEpoch() => _flushes.Enter();

    /// <summary>Sends everything buffered now; completes when every record accepted before the call has completed.</summary>
    public Task FlushAsync()
    {
        var closing = _flushes.Close();
        _inbox.Writer.TryWrite(new InboxItem(new FlushRequest(closing)));
        return closing.Drained;
    }

    /// <summary>Releases the buffer room of records just completed by <see cref="UserRecord.TrySucceed"/>, then counts them out of their flush epochs.</summary>
    public void OnRecordsStored(List<UserRecord> stored) => _context.OnRecordsStored(stored);

    /// <summary>Records of a Kinesis record that landed on a shard not owning their hash keys: route them again.</summary>
    public void Reroute(List<UserRecord> records) => PostControl(new RerouteRecords(records));

    public void RequestMapRefresh() => PostControl(RefreshRequest.Instance);

    public void OnKinesisRecordDone(string predictedShardId) => PostControl(new ShardReleased(predictedShardId));

    /// <summary>Gives back a request slot: the request finished, or its failed records are backing off.</summary>
    public void OnBatchDone() => PostControl(BatchDone.Instance);

    /// <summary>An attempt of <paramref name="records"/> was answered or ended unsent: their shards' rate limiters no longer count them on their way.</summary>
    public void OnAttemptAnswered(KinesisRecordItem[] records) => PostControl(new AttemptAnswered(records));

    /// <summary>
    /// Waits for a request slot to retry records that backed off. A retry holds no slot while it waits (else a
    /// throttled shard's retries could take every connection and stall the other shards), and is granted one
    /// before any new request is planned. The grant charges <paramref name="records"/> to their shards' rate limiters.
    /// </summary>
    public Task AcquireSlotAsync(KinesisRecordItem[] records, CancellationToken cancellationToken)
    {
        var grant = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _inbox.Writer.TryWrite(new InboxItem(new SlotRequest(grant, records)))
            ? grant.Task.WaitAsync(cancellationToken)
            : Task.FromCanceled(new CancellationToken(canceled: true));
    }

    /// <summary>Stops the loop, cancels sends in flight and fails every record still held with ProducerDisposed.</summary>
    public async Task StopAsync()
    {
        Volatile.Write(ref _stopping, 1);
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

        try
        {
            // Sends in flight see the cancellation and fail their own records.
            await Task.WhenAll(_sends).ConfigureAwait(false);
            FailEverything(RecordFailure.ProducerDisposed, "The producer was disposed before the record could be sent.");
            _buffers.Dispose();
            _context.Encryptor?.Dispose();
            _stop.Dispose();
        }
        finally
        {
            // Whatever happened above, a record that slipped into the inbox meanwhile is still drained (DrainAfterStop).
            _stopped.TrySetResult();
        }
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
                // New shard buffers start their rate limiters at the turn's start (they start full, so any
                // time up to now does).
                var turn = _time.GetTimestamp();
                var drained = 0;
                while (drained < MaxDrainPerTurn && reader.TryRead(out var item))
                {
                    Handle(item, turn);
                    drained++;
                }

                _released.Flush();
                ReportReceived();
                var now = _time.GetTimestamp();
                Tick(now);
                if (reader.TryPeek(out _))
                {
                    continue;
                }

                var wait = _planner.NextWakeUp(_buffers, now, _flushes.Pending, _slots.InFlight, _router.HasUnrouted, _mapRetryAt);
                await WaitAsync(reader, wait).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            ProducerLog.PipelineCrashed(Logger, StreamName, ex);
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

    private void Handle(InboxItem inbox, long now)
    {
        switch (inbox.Message)
        {
            case InboxChunk:
                _received++;
                var entry = inbox.Entry;
                _router.Route(entry, inbox.Key, now);
                _released.Add(entry);
                break;
            case UserRecord record:
                _received += record.Count;
                _router.Route(record, inbox.Key, now);
                break;
            case RerouteRecords reroute:
                foreach (var record in reroute.Records)
                {
                    _router.Route(record, record.ComputeHashKey(), now);
                }

                break;
            case MapRefreshed refreshed:
                _mapRetryAt = long.MaxValue;
                _router.OnMapRefreshed(refreshed.Map, now);
                break;
            case MapFailed:
                if (_router.Map is null)
                {
                    _mapRetryAt = _time.GetTimestamp() + Ticks(MapRetryDelay);
                }

                break;
            case RefreshRequest:
                _ = RefreshMapAsync(force: false);
                break;
            case ShardReleased released:
                if (_buffers.TryGet(released.ShardId, out var buffer))
                {
                    buffer.InFlight = false;
                }

                break;
            case BatchDone:
                _slots.Release();
                break;
            case SlotRequest request:
                _slots.Request(request);
                break;
            case AttemptAnswered answered:
                foreach (var sent in answered.Records)
                {
                    if (_buffers.TryGet(sent.PredictedShardId, out var shard))
                    {
                        shard.Limiter.Release(sent.Size, now);
                    }
                }

                break;
            case FlushRequest flush:
                _flushes.Begin(flush.Epoch);
                break;
        }
    }

    private void GrantRetry(SlotRequest request)
    {
        // A retry goes out now, after its backoff rather than after the limiter: charged as it goes, it delays its
        // shard's next records by as much.
        var now = _time.GetTimestamp();
        foreach (var retry in request.Records)
        {
            if (_buffers.TryGet(retry.PredictedShardId, out var shard))
            {
                shard.Limiter.Charge(retry.Size, now);
            }
        }

        request.Grant.TrySetResult();
    }

    private void Tick(long now)
    {
        _buffers.SealDue(now, _flushes.Pending);
        if (_time.GetElapsedTime(_lastSweep, now) >= BatchPlanner.SweepInterval)
        {
            ExpireDue(now);
            _lastSweep = now;
        }

        if (now >= _mapRetryAt || (_router.Map is not null && now >= _nextMapRefresh))
        {
            _mapRetryAt = long.MaxValue;
            _ = RefreshMapAsync(force: _router.Map is null);
        }

        while (_planner.NextBatch(_buffers, now, _flushes.Pending, _slots.InFlight) is { } batch)
        {
            _slots.TakeForNewRequest();
            _sends.RemoveAll(static t => t.IsCompleted);

            // Serialising, signing and sending happen off the loop, which only decides what goes where.
            _sends.Add(Task.Run(() => _sender.SendAsync(batch)));
        }
    }

    private void ExpireDue(long now)
    {
        var expired = new List<KinesisRecordItem>();
        _buffers.TakeExpired(now, expired);
        foreach (var item in expired)
        {
            item.FailRecords(
                RecordFailure.Expired,
                static (record, attempts, pipeline) => pipeline.ExpiredMessage(record, "while waiting for the shard's rate limit or a free connection", attempts),
                this);
        }

        if (_router.HasUnrouted)
        {
            var why = _maps.LastError is { } error
                ? $"while the stream's shards could not be listed ({error.Message})"
                : "while waiting for the stream's shard map";
            _router.ExpireUnrouted(now, record => ExpiredMessage(record, why));
        }
    }

    private string ExpiredMessage(UserRecord record, string why, List<Attempt>? current = null) =>
        $"RecordTtl ({_options.RecordTtl.TotalSeconds:0.###} s) passed {why}; {record.AttemptCountWith(current)} attempt(s) made.";

    private void FailEverything(string code, string message)
    {
        _released.Flush();
        ReportReceived();
        DrainInbox(code, message);
        _router.FailUnrouted(code, message);
        _buffers.FailAll(code, message);
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
            Metrics.Received(StreamName, _received);
            _received = 0;
        }
    }

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);
}
