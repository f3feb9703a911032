using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Testing.Tests.Helpers;

public sealed class TestLoggerTests
{
    [Fact]
    public void Entries_keep_level_event_message_and_exception_in_order()
    {
        var logger = new TestLogger();
        var error = new InvalidOperationException("broken");
        logger.Log(LogLevel.Information, new EventId(7), 1, null, (value, _) => $"first {value}");
        logger.Log(LogLevel.Error, new EventId(9), "second", error, (message, _) => message);
        logger.Log(LogLevel.Information, new EventId(7), "third", null, (message, _) => message);

        Assert.Equal(["first 1", "second", "third"], logger.Entries.Select(e => e.Message));
        Assert.Equal(new LogEntry(LogLevel.Error, 9, "second", error), logger.Entries[1]);
        Assert.Equal(["first 1", "third"], logger.WithId(7).Select(e => e.Message));
    }
}
