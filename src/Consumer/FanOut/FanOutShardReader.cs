using System.Runtime.CompilerServices;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

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
    private readonly SubscribeToShardClient _client;
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
        SubscribeToShardClient client,
        string consumerArn,
        string shardId,
        SubscribePosition start,
        ILogger? logger = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerArn);
        ArgumentException.ThrowIfNullOrWhiteSpace(shardId);
        _client = client;
        _options = client.Options;
        _time = client.TimeProvider;
        _logger = logger ?? NullLogger.Instance;
        ConsumerArn = consumerArn;
        ShardId = shardId;
        Position = start;
        _subscribePipeline = new ResiliencePipelineBuilder { TimeProvider = _time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<AwsServiceException>(FanOutErrors.IsRecoverable),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = _options.RetryBaseDelay,
                MaxDelay = _options.RetryMaxDelay,

                // A shard is read for as long as its lease is held; giving up is the caller's call (cancellation).
                MaxRetryAttempts = int.MaxValue,
                OnRetry = args =>
                {
                    FanOutLog.SubscribeRetrying(
                        _logger, ShardId, Position, args.AttemptNumber + 1, args.Outcome.Exception?.Message ?? "no event", args.RetryDelay);
                    return default;
                },
            })
            .Build();
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
    /// continuation sequence number and <see cref="FanOutEvent.MillisBehindLatest"/> of an idle shard.
    /// </summary>
    /// <exception cref="AwsServiceException">An error no new subscription can get past.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the open
    /// subscription is closed, and the next call resumes at <see cref="Position"/>.</exception>
    public async ValueTask<FanOutEvent?> ReadNextAsync(CancellationToken cancellationToken = default)
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
    public async IAsyncEnumerable<FanOutEvent> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
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
    private async ValueTask<FanOutEvent> SubscribeAsync(CancellationToken cancellationToken)
    {
        await WaitForResubscribeIntervalAsync(cancellationToken).ConfigureAwait(false);
        var subscription = await _client.SubscribeAsync(ConsumerArn, ShardId, Position, cancellationToken).ConfigureAwait(false);
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

    private async ValueTask<FanOutEvent?> ContinueAsync(ShardSubscription subscription, CancellationToken cancellationToken)
    {
        FanOutEvent? next;
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

    private async ValueTask<FanOutEvent?> ReadWithinSilenceAsync(ShardSubscription subscription, CancellationToken cancellationToken)
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

    private void Advance(FanOutEvent next)
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
