using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Producer;

/// <summary>
/// Runs the user's failure callback on its own task, in order, so user code never runs on (or stalls)
/// the producer's loops, and a throwing callback does not stop later reports.
/// </summary>
internal sealed class CallbackDispatcher : IAsyncDisposable
{
    private readonly Action<RecordFailure>? _callback;
    private readonly ILogger _logger;
    private readonly Channel<RecordFailure> _queue = Channel.CreateUnbounded<RecordFailure>(
        new UnboundedChannelOptions { SingleReader = true, SingleWriter = false });

    private readonly Task _runner;

    public CallbackDispatcher(Action<RecordFailure>? callback, ILogger logger)
    {
        _callback = callback;
        _logger = logger;
        _runner = callback is null ? Task.CompletedTask : Task.Run(RunAsync);
    }

    public void Report(RecordFailure failure)
    {
        if (_callback is not null)
        {
            _queue.Writer.TryWrite(failure);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _runner.ConfigureAwait(false);
    }

    private async Task RunAsync()
    {
        await foreach (var failure in _queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                _callback!(failure);
            }
            catch (Exception ex)
            {
                ProducerLog.CallbackFailed(_logger, ex);
            }
        }
    }
}
