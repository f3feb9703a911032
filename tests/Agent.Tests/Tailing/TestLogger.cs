using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Kinesis.Clients.Agent.Tests.Tailing;

/// <summary>Sends log lines to the test's output, so a failing test shows what the tailer decided.</summary>
internal sealed class TestLogger(ITestOutputHelper output) : ILogger
{
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {eventId.Id} {formatter(state, exception)}{(exception is null ? "" : " " + exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; late lines have nowhere to go.
        }
    }
}
