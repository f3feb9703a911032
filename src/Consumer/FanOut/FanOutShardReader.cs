using System.Runtime.CompilerServices;
using Kinesis.Clients.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>
/// Keeps one shard flowing through enhanced fan-out: subscribes, hands out each <c>SubscribeToShardEvent</c>, and
/// when a subscription ends (the service's 5-minute limit, a reset, an exception event, a silence, a corrupt frame)
/// subscribes again after the last continuation sequence number, never sooner than
/// <see cref="FanOutOptions.ResubscribeInterval"/> after the previous subscription, until the shard ends.
/// </summary>
/// <remarks>
/// <para>
/// Pull-based: nothing is read from the network between calls to <see cref="ReadNextAsync"/>, so a slow record
/// processor holds the service back through HTTP/2 flow control instead of piling events up in memory, and the
/// silence time-out measures only time spent waiting for the service.
/// </para>
/// <para>
/// A subscription that fails before delivering its first event is retried with exponential backoff and jitter
/// (Polly); one that fails after delivering events is simply renewed, since the events prove the shard is
/// reachable. Errors a new subscription cannot get past (<see cref="ResourceNotFoundException"/>, access and KMS key
/// errors, a malformed event) end the read with the exception. Not thread-safe: one reader per shard, one caller.
/// </para>
/// </remarks>
internal sealed class FanOutShardReader : IAsyncDisposable
{
    private readonly FanOutSubscriber _subscriber;
    private readonly FanOutOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _subscribePipeline;
    private ShardSubscription? _subscription;
    private long? _lastSubscribedAt;
    private bool _ended;
    private bool _disposed;

    /// <summary>Prepares to read <paramref name="shardId"/> from <paramref name="start"/>; nothing is sent until the first read.</summary>
    public FanOutShardReader(
        FanOutSubscriber subscriber,
        string consumerArn,
        string shardId,
        SubscribePosition start,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(subscriber);
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerArn);
        ArgumentException.ThrowIfNullOrWhiteSpace(shardId);
        _subscriber = subscriber;
        _options = subscriber.Options;
        _time = subscriber.TimeProvider;
        _logger = logger ?? NullLogger.Instance;
        ConsumerArn = consumerArn;
        ShardId = shardId;
        Position = start;

        // A shard is read for as long as its lease is held; giving up is the caller's call (cancellation).
        _subscribePipeline = BackoffRetry.ForExceptions(
            static ex => ex is AwsServiceException aws && FanOutErrors.IsRecoverable(aws),
            _options.RetryBaseDelay,
            _options.RetryMaxDelay,
            _time,
            attempt => FanOutLog.SubscribeRetrying(
                _logger, ShardId, Position, attempt.Number, attempt.Exception?.Message ?? "no event", attempt.Delay));
    }

    /// <summary>The consumer the shard is read as.</summary>
    public string ConsumerArn { get; }

    /// <summary>The shard read.</summary>
    public string ShardId { get; }

    /// <summary>
    /// Where the next subscription starts: the starting position until the first event, then after the last
    /// continuation sequence number handed out.
    /// </summary>
    public SubscribePosition Position { get; private set; }

    /// <summary>Subscriptions opened so far (accepted by the service).</summary>
    public int Subscriptions { get; private set; }

    /// <summary>Whether the shard's last event has been handed out.</summary>
    public bool IsShardEnd => _ended;

    /// <summary>
    /// The next event, or <see langword="null"/> once the shard's last event (the one with child shards and no
    /// continuation sequence number) has been returned. Events with no records are returned too: they carry the
    /// continuation sequence number and <see cref="SubscribeToShardEvent.MillisBehindLatest"/> of an idle shard.
    /// </summary>
    /// <exception cref="AwsServiceException">An error no new subscription can get past.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the open
    /// subscription is closed, and the next call resumes at <see cref="Position"/>.</exception>
    public async ValueTask<SubscribeToShardEvent?> ReadNextAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        try
        {
            while (!_ended)
            {
                var next = _subscription is null
                    ? await _subscribePipeline.ExecuteAsync(static (self, ct) => self.SubscribeAsync(ct), this, cancellationToken).ConfigureAwait(false)
                    : await ContinueAsync(_subscription, cancellationToken).ConfigureAwait(false);
                if (next is not null)
                {
                    Advance(next);
                    if (_ended)
                    {
                        await CloseAsync().ConfigureAwait(false);
                    }

                    return next;
                }
            }

            return null;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The cancelled read has reset the HTTP/2 stream; the next call subscribes again from Position.
            await CloseAsync().ConfigureAwait(false);
            throw;
        }
        catch (AwsServiceException ex)
        {
            await CloseAsync().ConfigureAwait(false);
            FanOutLog.ReaderFailed(_logger, ShardId, ConsumerArn, ex.Message, ex);
            throw;
        }
    }

    /// <summary>Every event until the shard ends, as <see cref="ReadNextAsync"/> returns them.</summary>
    public async IAsyncEnumerable<SubscribeToShardEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (await ReadNextAsync(cancellationToken).ConfigureAwait(false) is { } next)
        {
            yield return next;
        }
    }

    /// <summary>Closes the open subscription, if any.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await CloseAsync().ConfigureAwait(false);
    }

    // One attempt of the retry pipeline: a subscription counts as established once it delivered an event.
    private async ValueTask<SubscribeToShardEvent> SubscribeAsync(CancellationToken cancellationToken)
    {
        await WaitForResubscribeIntervalAsync(cancellationToken).ConfigureAwait(false);
        var subscription = await _subscriber.SubscribeAsync(ConsumerArn, ShardId, Position, cancellationToken).ConfigureAwait(false);
        _lastSubscribedAt = _time.GetTimestamp();
        Subscriptions++;
        FanOutLog.Subscribed(_logger, ShardId, ConsumerArn, Position, Subscriptions);
        try
        {
            var first = await ReadWithinSilenceAsync(subscription, cancellationToken).ConfigureAwait(false)
                ?? throw FanOutErrors.Transport("stream ended before its first event", Context());
            _subscription = subscription;
            return first;
        }
        catch
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private async ValueTask<SubscribeToShardEvent?> ContinueAsync(ShardSubscription subscription, CancellationToken cancellationToken)
    {
        SubscribeToShardEvent? next;
        try
        {
            next = await ReadWithinSilenceAsync(subscription, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex) when (FanOutErrors.IsRecoverable(ex))
        {
            FanOutLog.SubscriptionBroken(_logger, Subscriptions, ShardId, subscription.EventsRead, ex.Message, Position);
            await CloseAsync().ConfigureAwait(false);
            return null;
        }

        if (next is null)
        {
            FanOutLog.SubscriptionEnded(_logger, Subscriptions, ShardId, subscription.EventsRead, Position);
            await CloseAsync().ConfigureAwait(false);
        }

        return next;
    }

    private async ValueTask<SubscribeToShardEvent?> ReadWithinSilenceAsync(ShardSubscription subscription, CancellationToken cancellationToken)
    {
        using var silence = new CancellationTokenSource(_options.SilenceTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, silence.Token);
        try
        {
            return await subscription.ReadNextAsync(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && silence.IsCancellationRequested)
        {
            throw FanOutErrors.Transport(
                $"stream was silent for {_options.SilenceTimeout.TotalSeconds:0.###} s after {subscription.EventsRead} events", Context(), ex);
        }
    }

    private async ValueTask WaitForResubscribeIntervalAsync(CancellationToken cancellationToken)
    {
        if (_lastSubscribedAt is not { } last)
        {
            return;
        }

        var wait = _options.ResubscribeInterval - _time.GetElapsedTime(last);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
        }
    }

    private void Advance(SubscribeToShardEvent next)
    {
        if (next.ContinuationSequenceNumber is { } continuation)
        {
            Position = SubscribePosition.AfterSequenceNumber(continuation);
            return;
        }

        _ended = true;
        if (_logger.IsEnabled(LogLevel.Information))
        {
            var children = string.Join(", ", next.ChildShards.Select(c => c.ShardId));
            FanOutLog.ShardEnded(_logger, ShardId, Subscriptions, children);
        }
    }

    private async ValueTask CloseAsync()
    {
        var subscription = _subscription;
        _subscription = null;
        if (subscription is not null)
        {
            await subscription.DisposeAsync().ConfigureAwait(false);
        }
    }

    private string Context() => $"shard {ShardId}, consumer {ConsumerArn}, at {Position}";
}
