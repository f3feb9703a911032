using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>Every category to one test logger, so a test sees (and its output shows) what the worker decided.</summary>
internal sealed class OneLoggerFactory(TestLogger logger) : ILoggerFactory
{
    public void AddProvider(ILoggerProvider provider)
    {
    }

    public ILogger CreateLogger(string categoryName) => logger;

    public void Dispose()
    {
    }
}
