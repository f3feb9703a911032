using System.Threading.Channels;
using Kinesis.Clients.Producer;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Shipping;

/// <summary>
/// Sends records the producer gave up on (expired while throttled, stream missing, access denied) again after
/// a growing pause, for as long as the agent runs. Their file's checkpoint waits for them, so a stop or a
/// crash meanwhile re-reads them from the file rather than losing them.
/// </summary>
internal sealed class FailedRecordResender : IAsyncDisposable
{
    private static readonly TimeSpan FirstPause = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestPause = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan WarningEvery = TimeSpan.FromSeconds(10);

    private readonly IFlowSink _sink;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Channel<Failed> _queue = Channel.CreateUnbounded<Failed>(new UnboundedChannelOptions { SingleReader = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _consecutiveFailures;
    private long _lastWarning = long.MinValue;
    private long _sinceWarning;

    public FailedRecordResender(IFlowSink sink, TimeProvider timeProvider, ILogger logger)
    {
        _sink = sink;
        _time = timeProvider;
        _logger = logger;
        _loop = Task.Run(RunAsync);
    }

    public void Enqueue(IPutObserver outcomes, long token, RecordFailure failure)
    {
        var failures = Interlocked.Increment(ref _consecutiveFailures);
        var pause = TimeSpan.FromTicks(Math.Min(LongestPause.Ticks, FirstPause.Ticks << Math.Min(failures / 100, 5)));
        var now = _time.GetTimestamp();
        var due = now + (long)(pause.TotalSeconds * _time.TimestampFrequency);
        Interlocked.Add(ref _sinceWarning, failure.RecordCount);
        var last = Volatile.Read(ref _lastWarning);
        if ((last == long.MinValue || _time.GetElapsedTime(last, now) >= WarningEvery) && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            AgentLog.RecordsFailed(_logger, Interlocked.Exchange(ref _sinceWarning, 0), _sink.StreamName, failure.ErrorCode, failure.ErrorMessage, pause);
        }

        _queue.Writer.TryWrite(new Failed(outcomes, token, failure, due));
    }

    public void OnSuccess()
    {
        if (Volatile.Read(ref _consecutiveFailures) != 0)
        {
            Volatile.Write(ref _consecutiveFailures, 0);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _loop.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Records still waiting were never acknowledged: the next start reads them again from their files.
        }

        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        var stop = _stop.Token;
        await foreach (var failed in _queue.Reader.ReadAllAsync(stop).ConfigureAwait(false))
        {
            var wait = _time.GetElapsedTime(_time.GetTimestamp(), failed.Due);
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, stop).ConfigureAwait(false);
            }

            try
            {
                await _sink.ResendAsync(failed.Failure, failed.Outcomes, failed.Token, stop).ConfigureAwait(false);
            }
            catch (ObjectDisposedException)
            {
                // The producer is shutting down; see DisposeAsync.
                return;
            }
        }
    }

    private readonly record struct Failed(IPutObserver Outcomes, long Token, RecordFailure Failure, long Due);
}
