using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Producer;

/// <summary>
/// Runs the user's failure callbacks (<see cref="KinesisProducerOptions.OnRecordFailed"/> and
/// <see cref="IPutObserver.OnPutFailed"/>) on their own task, in order, so user code never runs on (or stalls)
/// the producer's loops, and a throwing callback does not stop later reports.
/// </summary>
internal sealed class CallbackDispatcher : IAsyncDisposable
{
    private readonly Action<RecordFailure>? _callback;
    private readonly ILogger _logger;
    private readonly Channel<(RecordFailure Failure, IPutObserver? Observer, long Token)> _queue =
        Channel.CreateUnbounded<(RecordFailure, IPutObserver?, long)>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly Task _runner;

    public CallbackDispatcher(Action<RecordFailure>? callback, ILogger logger)
    {
        _callback = callback;
        _logger = logger;
        _runner = Task.Run(RunAsync);
    }

    /// <summary>
    /// Queues a failure for the observer that put the record, or else for the options' callback. Once the dispatcher
    /// is disposed (a record that slipped into the producer while it stopped), the callback runs on the caller's
    /// thread instead: no loop is left to stall, and the failure is not dropped.
    /// </summary>
    public void Report(RecordFailure failure, IPutObserver? observer, long token)
    {
        if ((_callback is not null || observer is not null) && !_queue.Writer.TryWrite((failure, observer, token)))
        {
            Invoke(failure, observer, token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _runner.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var (failure, observer, token) in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            Invoke(failure, observer, token);
        }
    }

    private void Invoke(RecordFailure failure, IPutObserver? observer, long token)
    {
        try
        {
            if (observer is not null)
            {
                observer.OnPutFailed(token, failure);
            }
            else
            {
                _callback!(failure);
            }
        }
        catch (Exception ex)
        {
            ProducerLog.CallbackFailed(_logger, ex);
        }
    }
}
