using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Kinesis.Clients.Testing;

/// <summary>
/// A logger for tests: keeps every entry, from any thread, for assertions on what was logged, and, given the test's
/// output, also writes each line there, so a failing test shows what the component decided.
/// </summary>
/// <param name="output">The test's output; <see langword="null"/> to only keep the entries.</param>
public sealed class TestLogger(ITestOutputHelper? output = null) : ILogger
{
    private readonly ConcurrentQueue<LogEntry> _entries = new();

    /// <summary>Every entry so far, in the order logged.</summary>
    public IReadOnlyList<LogEntry> Entries => [.. _entries];

    /// <summary>The entries with event id <paramref name="eventId"/>.</summary>
    public IEnumerable<LogEntry> WithId(int eventId) => Entries.Where(e => e.EventId == eventId);

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var message = formatter(state, exception);
        _entries.Enqueue(new LogEntry(logLevel, eventId.Id, message, exception));
        if (output is null)
        {
            return;
        }

        try
        {
            output.WriteLine($"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel} {eventId.Id} {message}{(exception is null ? "" : " " + exception)}");
        }
        catch (InvalidOperationException)
        {
            // The test has finished; a late line from a background continuation has nowhere to go.
        }
    }
}

/// <summary>One entry a <see cref="TestLogger"/> kept.</summary>
/// <param name="Level">The entry's level.</param>
/// <param name="EventId">The event id's number.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record LogEntry(LogLevel Level, int EventId, string Message, Exception? Exception);
