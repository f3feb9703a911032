using System.Text.RegularExpressions;
using Kinesis.Clients.Agent.Checkpoints;
using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Agent.Tests.Checkpoints;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace Kinesis.Clients.Agent.Tests.Tailing;

public sealed class FlowTailerTests(ITestOutputHelper output)
{
    [Fact(Timeout = 30_000)]
    public async Task Several_files_are_tailed_concurrently_every_line_once_and_in_order_per_file()
    {
        using var dir = new TempDirectory();
        var names = Enumerable.Range(0, 5).Select(i => dir.File($"app{i}.log")).ToArray();
        foreach (var name in names)
        {
            File.WriteAllText(name, "");
        }

        await using var tailing = Tailing.Start(Tailing.Fast(dir.Path + "/*.log"), output);
        var writers = names.Select((name, f) => Task.Run(() =>
        {
            for (var batch = 0; batch < 20; batch++)
            {
                LogWriter.Append(name, LogWriter.Lines($"f{f}", batch * 100, 100));
            }
        }));
        await Task.WhenAll(writers);
        await tailing.ReceivedAsync(5 * 2000);

        foreach (var (name, f) in names.Select((n, i) => (n, i)))
        {
            var texts = tailing.Sink.Received.Where(r => r.File.Path == name).Select(r => r.Line);
            Assert.Equal(LogWriter.Lines($"f{f}", 0, 2000), texts);
        }

        Assert.Equal(5 * 2000, tailing.Sink.Count);
        Assert.Empty(tailing.Sink.TicketErrors);
    }

    [Fact(Timeout = 30_000)]
    public async Task Start_of_file_reads_existing_lines_and_end_of_file_only_new_ones()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        LogWriter.Append(path, ["old 1", "old 2"]);
        File.AppendAllText(path, "unfinished ");

        await using (var fromStart = Tailing.Start(Tailing.Fast(path), output))
        {
            await fromStart.ReceivedAsync(2);
            Assert.Equal(["old 1", "old 2"], fromStart.Sink.Lines);
        }

        await using var fromEnd = Tailing.Start(Tailing.Fast(path, startAtEnd: true), output);
        await Eventually.HoldsAsync(() => fromEnd.Tailer.Progress().Count == 1, "the file to be opened");
        File.AppendAllText(path, "line\n");
        LogWriter.Append(path, ["new 1"]);
        await fromEnd.ReceivedAsync(2);
        // The line being written when the flow started is sent whole, not from the middle.
        Assert.Equal(["unfinished line", "new 1"], fromEnd.Sink.Lines);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_file_appearing_after_the_start_is_read_from_its_beginning_even_at_end_of_file()
    {
        using var dir = new TempDirectory();
        LogWriter.Append(dir.File("a.log"), ["before start"]);
        await using var tailing = Tailing.Start(Tailing.Fast(dir.Path + "/*.log", startAtEnd: true), output);
        await Eventually.HoldsAsync(() => tailing.Tailer.Progress().Count == 1, "a.log to be opened");

        LogWriter.Append(dir.File("b.log"), ["b 1", "b 2"]);
        await tailing.ReceivedAsync(2);
        Assert.Equal(["b 1", "b 2"], tailing.Sink.Lines);
    }

    [Fact(Timeout = 30_000)]
    public async Task Compressed_rotated_files_matching_the_pattern_are_not_tailed()
    {
        using var dir = new TempDirectory();
        foreach (var name in new[] { "app.log.1.gz", "app.log.2.bz2", "app.log.3.zip" })
        {
            LogWriter.Append(dir.File(name), ["compressed bytes"]);
        }

        LogWriter.Append(dir.File("app.log.4"), ["plain"]);
        await using var tailing = Tailing.Start(Tailing.Fast(dir.Path + "/app.log*"), output);
        await tailing.ReceivedAsync(1);
        await Eventually.HoldsAsync(() => tailing.Tailer.Progress().Count == 1, "only the plain file to be tailed");
        Assert.Equal(["plain"], tailing.Sink.Lines);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_partial_last_line_is_sent_only_once_completed()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        File.WriteAllText(path, "complete\npart");
        await using var tailing = Tailing.Start(Tailing.Fast(path), output);
        await tailing.ReceivedAsync(1);
        File.AppendAllText(path, "ial\n");
        await tailing.ReceivedAsync(2);
        Assert.Equal(["complete", "partial"], tailing.Sink.Lines);
    }

    [Fact(Timeout = 30_000)]
    public async Task Header_lines_are_skipped_in_every_file()
    {
        using var dir = new TempDirectory();
        LogWriter.Append(dir.File("a.csv"), ["h1", "h2", "a1", "a2"]);
        var options = Tailing.Fast(dir.Path + "/*.csv") is var o ? new TailingOptions
        {
            FlowId = o.FlowId,
            FilePattern = o.FilePattern,
            StartAtEndOfFile = false,
            PollInterval = o.PollInterval,
            DiscoveryInterval = o.DiscoveryInterval,
            CheckpointInterval = o.CheckpointInterval,
            SkipHeaderLines = 2,
        } : null!;
        await using var tailing = Tailing.Start(options, output);
        await tailing.ReceivedAsync(2);
        LogWriter.Append(dir.File("b.csv"), ["h1", "h2", "b1"]);
        await tailing.ReceivedAsync(3);
        Assert.Equal(["a1", "a2", "b1"], tailing.Sink.Lines);
    }

    [Fact(Timeout = 30_000)]
    public async Task Multi_line_records_are_grouped_and_the_last_one_is_sent_after_the_flush_timeout()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        var fast = Tailing.Fast(path);
        var options = new TailingOptions
        {
            FlowId = fast.FlowId,
            FilePattern = path,
            StartAtEndOfFile = false,
            PollInterval = fast.PollInterval,
            DiscoveryInterval = fast.DiscoveryInterval,
            CheckpointInterval = fast.CheckpointInterval,
            MultiLineStartPattern = new Regex(@"^\d{4}-"),
            MultiLineFlushTimeout = TimeSpan.FromMilliseconds(300),
        };
        LogWriter.Append(path, ["2024-01-01 boom", "  at A", "  at B", "2024-01-02 fine", "2024-01-03 last", "  tail"]);
        await using var tailing = Tailing.Start(options, output);
        await tailing.ReceivedAsync(3);
        Assert.Equal(["2024-01-01 boom\n  at A\n  at B\n", "2024-01-02 fine\n", "2024-01-03 last\n  tail\n"], tailing.Sink.Texts);
    }

    [Fact(Timeout = 30_000)]
    public async Task Long_lines_are_cut_with_the_terminator_and_counted()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        var fast = Tailing.Fast(path);
        var options = new TailingOptions
        {
            FlowId = fast.FlowId,
            FilePattern = path,
            StartAtEndOfFile = false,
            PollInterval = fast.PollInterval,
            DiscoveryInterval = fast.DiscoveryInterval,
            MaxRecordBytes = 100,
            TruncatedRecordTerminator = "...",
        };
        LogWriter.Append(path, ["short", new string('y', 100), new string('z', 500_000), "after"]);
        await using var tailing = Tailing.Start(options, output);
        await tailing.ReceivedAsync(4);
        // Records keep their '\n' within the limit: 99 bytes and a line break fit, 100 and one do not.
        LogWriter.Append(path, [new string('w', 99)]);
        await tailing.ReceivedAsync(5);
        Assert.Equal(["short\n", new string('y', 97) + "...", new string('z', 97) + "...", "after\n", new string('w', 99) + "\n"], tailing.Sink.Texts);
        Assert.Equal(2, tailing.Tailer.Progress().Single().TruncatedRecords);
    }

    [Fact(Timeout = 30_000)]
    public async Task Progress_reports_offsets_and_the_backlog_behind_acknowledgements()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        LogWriter.Append(path, ["0123456789", "0123456789"]);
        var sink = new RecordingSink { AcknowledgeImmediately = false };
        await using var tailing = Tailing.Start(Tailing.Fast(path), output, sink: sink);
        await tailing.ReceivedAsync(2);

        var progress = tailing.Tailer.Progress().Single();
        Assert.Equal((path, 22L, 22L, 0L, 22L, 2L), (progress.Path, progress.Size, progress.ReadOffset, progress.AcknowledgedOffset, progress.BytesBehind, progress.RecordsRead));
        sink.Acknowledge(r => r.Ticket == 0);
        Assert.Equal(11, tailing.Tailer.Progress().Single().AcknowledgedOffset);
    }

    [Fact]
    public void Options_out_of_range_are_refused_naming_the_option()
    {
        var good = Tailing.Fast("/var/log/app.log");
        var bad = new (string Name, TailingOptions Options)[]
        {
            ("FlowId", new TailingOptions { FilePattern = "/a" }),
            ("FilePattern", new TailingOptions { FlowId = "f", FilePattern = "relative/*.log" }),
            ("MaxRecordBytes", new TailingOptions { FlowId = "f", FilePattern = "/a", MaxRecordBytes = 1 }),
            ("PollInterval", new TailingOptions { FlowId = "f", FilePattern = "/a", PollInterval = TimeSpan.Zero }),
            ("ReadBufferBytes", new TailingOptions { FlowId = "f", FilePattern = "/a", ReadBufferBytes = 10 }),
            ("SkipHeaderLines", new TailingOptions { FlowId = "f", FilePattern = "/a", SkipHeaderLines = -1 }),
        };
        foreach (var (name, options) in bad)
        {
            var error = Assert.Throws<ArgumentException>(() => new FlowTailer(options, new InMemoryCheckpointStore(), new RecordingSink(), TimeProvider.System, NullLogger.Instance));
            Assert.Contains("TailingOptions." + name, error.Message, StringComparison.Ordinal);
        }

        _ = new FlowTailer(good, new InMemoryCheckpointStore(), new RecordingSink(), TimeProvider.System, NullLogger.Instance);
    }
}
