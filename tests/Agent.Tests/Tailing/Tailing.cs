using Kinesis.Clients.Agent.Checkpoints;
using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Agent.Tests.Checkpoints;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace Kinesis.Clients.Agent.Tests.Tailing;

/// <summary>A running <see cref="FlowTailer"/> over real files, with a recording sink, stopped on dispose.</summary>
internal sealed class Tailing : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private Tailing(TailingOptions options, ICheckpointStore store, RecordingSink sink, ILogger logger)
    {
        Options = options;
        Store = store;
        Sink = sink;
        Tailer = new FlowTailer(options, store, sink, TimeProvider.System, logger);
        Run = Tailer.RunAsync(_stop.Token);
    }

    public TailingOptions Options { get; }

    public ICheckpointStore Store { get; }

    public RecordingSink Sink { get; }

    public FlowTailer Tailer { get; }

    public Task Run { get; }

    /// <summary>Options with short intervals, so tests run in well under a second each.</summary>
    public static TailingOptions Fast(string pattern, bool startAtEnd = false, int readBufferBytes = 128 * 1024, TimeSpan? rotatedFileQuietPeriod = null, int maxOpenFiles = 1024) => new()
    {
        MaxOpenFiles = maxOpenFiles,
        ReadBufferBytes = readBufferBytes,
        FlowId = "test-flow",
        FilePattern = pattern,
        StartAtEndOfFile = startAtEnd,
        PollInterval = TimeSpan.FromMilliseconds(10),
        DiscoveryInterval = TimeSpan.FromMilliseconds(50),
        CheckpointInterval = TimeSpan.FromMilliseconds(50),
        RotatedFileQuietPeriod = rotatedFileQuietPeriod ?? TimeSpan.FromMilliseconds(300),
        MultiLineFlushTimeout = TimeSpan.FromMilliseconds(200),
    };

    public static Tailing Start(TailingOptions options, ITestOutputHelper output, ICheckpointStore? store = null, RecordingSink? sink = null) =>
        new(options, store ?? new InMemoryCheckpointStore(), sink ?? new RecordingSink(), new TestLogger(output));

    /// <summary>Waits until the sink holds <paramref name="count"/> records.</summary>
    public Task ReceivedAsync(int count, TimeSpan? timeout = null) =>
        Eventually.HoldsAsync(() => Sink.Count >= count, () => $"{count} records (have {Sink.Count})", timeout);

    /// <summary>Waits until the file now at <paramref name="path"/> is being tailed.</summary>
    public Task TailingAsync(string path) => Eventually.HoldsAsync(
        () => NativeFiles.TryStat(path, out var status) && Tailer.Progress().Any(p => p.Path == path) && IsTracked(status.Key),
        $"{path} to be tailed");

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    private bool IsTracked(FileKey key) =>
        Tailer.Progress().Count > 0 && Tailer.TrackedKeys().Contains(key);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Tailer.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }
}

/// <summary>Writes numbered lines as an application's logger would.</summary>
internal static class LogWriter
{
    public static IEnumerable<string> Lines(string prefix, int from, int count) =>
        Enumerable.Range(from, count).Select(i => $"{prefix} line {i:D6} {new string('x', i % 37)}");

    public static void Append(string path, IEnumerable<string> lines) =>
        File.AppendAllText(path, string.Concat(lines.Select(l => l + "\n")));
}
