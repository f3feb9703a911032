using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Producer.Tests.Units;

public sealed class CredentialsFailureLogTests
{
    [Fact]
    public void Each_cause_is_logged_once_until_credentials_work_again()
    {
        var logger = new CountingLogger();
        var log = new CredentialsFailureLog(logger);
        var denied = new AwsCredentialsException("AWS credentials from assuming role r could not be obtained (AccessDenied).");
        var unreachable = new AwsCredentialsException("AWS credentials from assuming role r could not be obtained (no route).");

        for (var i = 0; i < 50; i++)
        {
            log.Failed(denied);
            log.Failed(unreachable);
        }

        log.Succeeded();
        log.Succeeded();
        log.Failed(denied);

        Assert.Equal([1008, 1008, 1009, 1008], logger.EventIds);
        Assert.Contains("AccessDenied", logger.Messages[0], StringComparison.Ordinal);
        Assert.Contains("no route", logger.Messages[1], StringComparison.Ordinal);
    }

    private sealed class CountingLogger : ILogger
    {
        public List<int> EventIds { get; } = [];

        public List<string> Messages { get; } = [];

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            EventIds.Add(eventId.Id);
            Messages.Add(formatter(state, exception));
        }
    }
}
