using System.Diagnostics;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>The event stream of one accepted subscription: reads the backing shard and writes frames until something ends it.</summary>
internal sealed class SubscriptionStream
{
    private readonly HttpContext _context;
    private readonly SubscriptionCall _call;
    private readonly ShardFeed _feed;
    private readonly SubscriptionScript _script;
    private readonly SubscribeToShardServerOptions _options;
    private readonly CancellationToken _takenOver;
    private readonly CancellationToken _stopping;
    private readonly Action _changed;
    private readonly string _contentType;

    public SubscriptionStream(
        HttpContext context,
        SubscriptionCall call,
        ShardFeed feed,
        SubscriptionScript script,
        SubscribeToShardServerOptions options,
        Action changed,
        CancellationToken takenOver,
        CancellationToken stopping)
    {
        _context = context;
        _call = call;
        _feed = feed;
        _script = script;
        _options = options;
        _takenOver = takenOver;
        _stopping = stopping;
        _changed = changed;
        _contentType = call.IsCbor ? EventPayloads.CborContentType : EventPayloads.JsonContentType;
    }

    public async Task RunAsync()
    {
        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(_context.RequestAborted, _stopping);
        using var waiting = CancellationTokenSource.CreateLinkedTokenSource(aborted.Token, _takenOver);
        try
        {
            var response = _context.Response;
            response.StatusCode = 200;
            response.ContentType = "application/vnd.amazon.eventstream";
            await response.StartAsync(aborted.Token).ConfigureAwait(false);
            await WriteAsync(EventStreamFrames.Event("initial-response", _contentType, EventPayloads.InitialResponse(_call.IsCbor)), aborted.Token).ConfigureAwait(false);
            await StreamAsync(waiting.Token, aborted.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_takenOver.IsCancellationRequested && !aborted.IsCancellationRequested)
        {
            // The service fails the older of two subscriptions with ResourceInUseException once the newer is accepted.
            _call.Ended("TakenOver");
            await TryWriteAsync(EventStreamFrames.Exception("ResourceInUseException", "Another subscription took over this consumer and shard."), aborted.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _call.Ended(_stopping.IsCancellationRequested ? "ServerStopped" : "ClientGone");
        }
        catch (IOException)
        {
            _call.Ended("ClientGone");
        }
        catch (AwsServiceException ex)
        {
            _call.Ended("BackendFailed");
            await TryWriteAsync(EventStreamFrames.Exception("InternalFailureException", ex.Message), aborted.Token).ConfigureAwait(false);
        }
        finally
        {
            _changed();
        }
    }

    private async Task StreamAsync(CancellationToken waiting, CancellationToken aborted)
    {
        var clock = Stopwatch.StartNew();
        var lastSent = TimeSpan.Zero;
        while (true)
        {
            waiting.ThrowIfCancellationRequested();
            if (_call.EventsSent >= _script.AfterEvents || clock.Elapsed >= (_script.AfterTime ?? TimeSpan.MaxValue))
            {
                await FaultAsync(aborted).ConfigureAwait(false);
                return;
            }

            if (clock.Elapsed >= _options.SubscriptionLifetime)
            {
                _call.Ended("Lifetime");
                return;
            }

            var batch = await _feed.ReadAsync(_options.MaxRecordsPerEvent, aborted).ConfigureAwait(false);
            if (batch.ShardEnded)
            {
                await SendAsync(batch.Records, null, batch.MillisBehindLatest, batch.ChildShards, aborted).ConfigureAwait(false);
                _call.Ended("ShardEnd");
                return;
            }

            if (batch.Records.Count > 0 || clock.Elapsed - lastSent >= _options.HeartbeatInterval)
            {
                var continuation = await _feed.ContinuationAsync(aborted).ConfigureAwait(false);
                await SendAsync(batch.Records, continuation, batch.MillisBehindLatest, [], aborted).ConfigureAwait(false);
                lastSent = clock.Elapsed;
            }

            if (batch.Records.Count == 0)
            {
                await Task.Delay(_options.PollInterval, waiting).ConfigureAwait(false);
            }
        }
    }

    private async Task FaultAsync(CancellationToken aborted)
    {
        _call.Ended(_script.Fault.ToString());
        switch (_script.Fault)
        {
            case SubscriptionFault.Exception:
                await WriteAsync(EventStreamFrames.Exception(_script.ErrorCode ?? "InternalFailureException", _script.Message ?? "Injected."), aborted).ConfigureAwait(false);
                break;
            case SubscriptionFault.Silence:
                await Task.Delay(Timeout.Infinite, aborted).ConfigureAwait(false);
                break;
            case SubscriptionFault.CorruptFrame:
                var continuation = await _feed.ContinuationAsync(aborted).ConfigureAwait(false);
                var payload = EventPayloads.SubscribeToShardEvent(_call.IsCbor, [], continuation, 0, []);
                await WriteAsync(EventStreamFrames.Corrupt(EventStreamFrames.Event("SubscribeToShardEvent", _contentType, payload)), aborted).ConfigureAwait(false);
                break;
            case SubscriptionFault.Reset:
                _context.Abort();
                break;
        }
    }

    private async Task SendAsync(
        IReadOnlyList<KinesisRecord> records, string? continuation, long millisBehindLatest, IReadOnlyList<ChildShard> childShards, CancellationToken aborted)
    {
        var payload = EventPayloads.SubscribeToShardEvent(_call.IsCbor, records, continuation, millisBehindLatest, childShards);
        await WriteAsync(EventStreamFrames.Event("SubscribeToShardEvent", _contentType, payload), aborted).ConfigureAwait(false);
        _call.Sent(records.Select(r => r.SequenceNumber), continuation);
        _changed();
    }

    private async Task WriteAsync(byte[] frame, CancellationToken aborted)
    {
        await _context.Response.Body.WriteAsync(frame, aborted).ConfigureAwait(false);
        await _context.Response.Body.FlushAsync(aborted).ConfigureAwait(false);
    }

    private async Task TryWriteAsync(byte[] frame, CancellationToken aborted)
    {
        try
        {
            await WriteAsync(frame, aborted).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            // The client is gone already.
        }
    }
}
