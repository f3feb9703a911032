using Kinesis.Clients.Agent.Checkpoints;
using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Agent.Tests.Checkpoints;
using Xunit.Abstractions;

namespace Kinesis.Clients.Agent.Tests.Tailing;

/// <summary>Rotation schemes while the application keeps writing: nothing lost, nothing sent twice.</summary>
public sealed class RotationTests(ITestOutputHelper output)
{
    [Theory(Timeout = 30_000)]
    [InlineData("/app.log")]   // rotated files leave the pattern: drained through the open descriptor
    [InlineData("/app.log*")]  // rotated files stay in the pattern: still the same inode, not read again
    public async Task Rename_and_create_rotation_while_writing_loses_and_repeats_nothing(string pattern)
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        File.WriteAllText(path, "");
        await using var tailing = Tailing.Start(Tailing.Fast(dir.Path + pattern), output);
        await tailing.TailingAsync(path);

        var written = new List<string>();
        var stream = OpenLikeALogger(path);
        for (var rotation = 1; rotation <= 3; rotation++)
        {
            Write(stream, LogWriter.Lines($"r{rotation}", 0, 500), written);
            File.Move(path, $"{path}.{rotation}");
            // The application has not noticed yet: a few lines still go to the renamed file.
            Write(stream, LogWriter.Lines($"r{rotation}-late", 0, 20), written);
            await stream.DisposeAsync();
            stream = OpenLikeALogger(path);

            // Discovery polls: a file that lives under the pattern's name for less than a discovery interval
            // is never seen. Real rotations are hours apart; wait for the new file to be found.
            await tailing.TailingAsync(path);
        }

        Write(stream, LogWriter.Lines("final", 0, 100), written);
        await stream.DisposeAsync();

        await tailing.ReceivedAsync(written.Count);
        AssertExactlyOnceInOrder(written, tailing.Sink);
    }

    [Fact(Timeout = 30_000)]
    public async Task Copytruncate_while_writing_with_the_copy_in_the_pattern_sends_every_line_once()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        File.WriteAllText(path, "");
        // The sink is slow, so the tailer is in the middle of the file when it is copied and truncated.
        var sink = new RecordingSink { PauseEvery = 20 };
        await using var tailing = Tailing.Start(Tailing.Fast(dir.Path + "/app.log*", readBufferBytes: 4096), output, sink: sink);
        await tailing.TailingAsync(path);

        var written = new List<string>();
        var rotatedFrom = new List<int>();
        for (var rotation = 1; rotation <= 3; rotation++)
        {
            for (var batch = 0; batch < 10; batch++)
            {
                var lines = LogWriter.Lines($"r{rotation}b{batch}", 0, 100).ToList();
                LogWriter.Append(path, lines);
                written.AddRange(lines);
            }

            await Eventually.HoldsAsync(() => sink.Count > written.Count - 900, "the tailer to be inside the file");
            rotatedFrom.Add(sink.Count);

            // logrotate: shift the older copies, copy the live file, truncate it.
            for (var older = rotation - 1; older >= 1; older--)
            {
                File.Move($"{path}.{older}", $"{path}.{older + 1}");
            }

            File.Copy(path, path + ".1");
            using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                truncate.SetLength(0);
            }

            await tailing.TailingAsync(path + ".1");
        }

        var tail = LogWriter.Lines("after", 0, 100).ToList();
        LogWriter.Append(path, tail);
        written.AddRange(tail);

        await tailing.ReceivedAsync(written.Count, TimeSpan.FromSeconds(20));
        await Task.Delay(500); // a duplicate would show up within a few discovery passes
        AssertExactlyOnceInOrder(written, sink);

        // The copies continued where the truncated file had been read to, rather than starting over.
        var fromCopies = sink.Received.Where(r => r.File.Path.EndsWith(".1", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(fromCopies);
        Assert.DoesNotContain(fromCopies, r => r.Text.EndsWith("b0 line 000000 ", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task Copytruncate_with_the_copy_outside_the_pattern_starts_the_file_over_after_what_was_read()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        var before = LogWriter.Lines("before", 0, 300).ToList();
        LogWriter.Append(path, before);
        await using var tailing = Tailing.Start(Tailing.Fast(path), output);
        await tailing.ReceivedAsync(before.Count);

        File.Copy(path, dir.File("app.log-20240501"));
        using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            truncate.SetLength(0);
        }

        var after = LogWriter.Lines("after", 0, 50).ToList();
        LogWriter.Append(path, after);
        await tailing.ReceivedAsync(before.Count + after.Count);
        AssertExactlyOnceInOrder([.. before, .. after], tailing.Sink);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_copy_shorter_than_what_was_sent_sends_nothing_again()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        var before = LogWriter.Lines("before", 0, 200).ToList();
        LogWriter.Append(path, before);

        // The copy below pauses between its two writes; on a loaded machine that pause can outlast a short quiet
        // period, and the half-written copy would then rightly count as a file of its own.
        await using var tailing = Tailing.Start(Tailing.Fast(dir.Path + "/app.log*", rotatedFileQuietPeriod: TimeSpan.FromSeconds(2)), output);
        await tailing.ReceivedAsync(before.Count);

        // The application writes two more lines, which the tailer sends; logrotate's copy was taken just
        // before them, so it holds nothing new. The copy appears (empty, then filled) as the file is truncated.
        LogWriter.Append(path, ["between 1", "between 2"]);
        await tailing.ReceivedAsync(before.Count + 2);
        var copied = File.ReadAllBytes(path)[..^"between 1\nbetween 2\n".Length];
        using (var copy = new FileStream(path + ".1", FileMode.CreateNew))
        {
            copy.Write(copied.AsSpan(0, 100));
            copy.Flush();
            await Task.Delay(60); // a discovery pass sees a copy in progress
            copy.Write(copied.AsSpan(100));
        }

        using (var truncate = new FileStream(path, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
        {
            truncate.SetLength(0);
        }

        LogWriter.Append(path, ["after"]);
        await tailing.TailingAsync(path + ".1");
        await tailing.ReceivedAsync(before.Count + 3);
        await Task.Delay(300);
        AssertExactlyOnceInOrder([.. before, "between 1", "between 2", "after"], tailing.Sink);
    }

    [Fact(Timeout = 30_000)]
    public async Task Files_that_only_share_their_first_kilobyte_are_each_read_whole()
    {
        using var dir = new TempDirectory();
        var banner = LogWriter.Lines("same banner", 0, 60).ToList(); // well over 1 KiB, identical in both
        var names = new[] { "a.log", "b.log", "c.log" };
        foreach (var name in names)
        {
            LogWriter.Append(dir.File(name), [.. banner, .. LogWriter.Lines("only in " + name, 0, 100)]);
        }

        await using var tailing = Tailing.Start(Tailing.Fast(dir.Path + "/*.log"), output);
        await tailing.ReceivedAsync(3 * (banner.Count + 100));
        foreach (var name in names)
        {
            Assert.Equal([.. banner, .. LogWriter.Lines("only in " + name, 0, 100)], tailing.Sink.Received.Where(r => r.File.Path == dir.File(name)).Select(r => r.Line));
        }
    }

    [Fact(Timeout = 30_000)]
    public async Task A_file_deleted_while_written_is_drained_through_its_descriptor_then_closed()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        var written = new List<string>();
        var stream = OpenLikeALogger(path);
        await using var tailing = Tailing.Start(Tailing.Fast(path), output);
        await Eventually.HoldsAsync(() => tailing.Tailer.Progress().Count == 1, "app.log to be opened");

        Write(stream, LogWriter.Lines("before", 0, 300), written);
        File.Delete(path);
        Write(stream, LogWriter.Lines("after-delete", 0, 300), written);
        await stream.DisposeAsync();

        await tailing.ReceivedAsync(written.Count);
        AssertExactlyOnceInOrder(written, tailing.Sink);
        await Eventually.HoldsAsync(() => tailing.Tailer.Progress().Count == 0, "the deleted file to be closed");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_last_line_without_a_line_break_is_sent_when_its_deleted_file_is_let_go()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        File.WriteAllText(path, "complete\nunterminated");
        await using var tailing = Tailing.Start(Tailing.Fast(path), output);
        await tailing.ReceivedAsync(1);
        Assert.Equal(["complete"], tailing.Sink.Lines); // still being written, for all we know

        File.Delete(path);
        await tailing.ReceivedAsync(2);
        Assert.Equal(["complete\n", "unterminated"], tailing.Sink.Texts);
    }

    [Fact(Timeout = 30_000)]
    public async Task Truncation_in_place_starts_a_new_generation_with_new_tickets()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        LogWriter.Append(path, ["one", "two", "three"]);
        await using var tailing = Tailing.Start(Tailing.Fast(path), output);
        await tailing.ReceivedAsync(3);

        File.WriteAllText(path, ""); // truncates the same inode
        await Task.Delay(100);
        LogWriter.Append(path, ["new one", "new two"]);
        await tailing.ReceivedAsync(5);

        var received = tailing.Sink.Received;
        Assert.Equal(["one", "two", "three", "new one", "new two"], received.Select(r => r.Line));
        Assert.NotEqual(received[0].File.Id, received[3].File.Id);
        Assert.Equal([0L, 1], received.Skip(3).Select(r => r.Ticket));
        Assert.Empty(tailing.Sink.TicketErrors);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_file_rewritten_longer_than_before_between_two_polls_is_read_from_its_start()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        LogWriter.Append(path, ["a", "b"]);
        await using var tailing = Tailing.Start(Tailing.Fast(path), output);
        await tailing.ReceivedAsync(2);

        // Same inode, new content longer than the old: the size alone does not reveal the truncation.
        var rewritten = LogWriter.Lines("rewritten", 0, 50).ToList();
        File.WriteAllText(path, string.Concat(rewritten.Select(l => l + "\n")));
        await tailing.ReceivedAsync(2 + rewritten.Count);
        AssertExactlyOnceInOrder(["a", "b", .. rewritten], tailing.Sink);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_reused_inode_with_other_content_is_read_from_the_start()
    {
        using var dir = new TempDirectory();
        var path = dir.File("app.log");
        LogWriter.Append(path, ["fresh 1", "fresh 2"]);
        Assert.True(NativeFiles.TryStat(path, out var status));

        // A checkpoint from a deleted file whose inode the new file got: same device and inode, other first bytes.
        var store = new InMemoryCheckpointStore();
        var old = "old content\n"u8.ToArray();
        await store.SaveAsync([new FileCheckpoint("test-flow", status.Key.Device, status.Key.Inode, ContentHead.HashOf(old), old.Length, path, 8, DateTimeOffset.UtcNow)]);

        await using var tailing = Tailing.Start(Tailing.Fast(path, startAtEnd: true), output, store);
        await tailing.ReceivedAsync(2);
        Assert.Equal(["fresh 1", "fresh 2"], tailing.Sink.Lines);
    }

    internal static void AssertExactlyOnceInOrder(IReadOnlyList<string> written, RecordingSink sink)
    {
        var texts = sink.Lines;
        var duplicates = texts.GroupBy(t => t).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.True(duplicates.Count == 0, $"{duplicates.Count} lines sent more than once, e.g. {string.Join(", ", duplicates.Take(3))}");
        var missing = written.Except(texts).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} lines never sent, e.g. {string.Join(", ", missing.Take(3))}");
        Assert.Equal(written.Count, texts.Count);

        // Within one generation records keep file order.
        var position = written.Select((t, i) => (t, i)).ToDictionary(x => x.t, x => x.i);
        foreach (var generation in sink.Received.GroupBy(r => r.File.Id))
        {
            var order = generation.Select(r => position[r.Line]).ToList();
            Assert.Equal(order.Order(), order);
        }

        Assert.Empty(sink.TicketErrors);
    }

    private static FileStream OpenLikeALogger(string path) =>
        new(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);

    private static void Write(FileStream stream, IEnumerable<string> lines, List<string> written)
    {
        foreach (var line in lines)
        {
            stream.Write(System.Text.Encoding.UTF8.GetBytes(line + "\n"));
            written.Add(line);
        }

        stream.Flush();
    }
}
