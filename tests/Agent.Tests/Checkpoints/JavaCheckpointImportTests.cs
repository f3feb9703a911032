using Kinesis.Clients.Agent.Checkpoints;
using Kinesis.Clients.Agent.Tests.Tailing;
using Kinesis.Clients.Testing;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;
using Tailer = Kinesis.Clients.Agent.Tests.Tailing.Tailing;

namespace Kinesis.Clients.Agent.Tests.Checkpoints;

/// <summary>A flow's first start takes over the Java agent's checkpoint: nothing it sent is sent again, nothing it had not sent is skipped.</summary>
public sealed class JavaCheckpointImportTests(ITestOutputHelper output) : IDisposable
{
    private const string Flow = "test-flow";
    private readonly TempDirectory _dir = new();
    private readonly InMemoryCheckpointStore _store = new();
    private readonly TestLogger _logger = new(output);

    [Fact(Timeout = 30_000)]
    public async Task The_latest_row_resumes_at_its_offset_older_files_count_as_sent_and_newer_ones_are_read_whole()
    {
        var old = Write("app.log.1", LogWriter.Lines("old", 0, 50), DateTime.UtcNow.AddHours(-2));
        var current = Write("app.log", LogWriter.Lines("current", 0, 30), DateTime.UtcNow.AddMinutes(-30));
        var sentBytes = ByteLength(LogWriter.Lines("current", 0, 12));
        var database = JavaDb(
            JavaAgentDatabase.Row(Flow, current, sentBytes, "2026-01-02 10:00:00.500"),
            JavaAgentDatabase.Row(Flow, old, 17, "2026-01-01 09:00:00.000"));
        LogWriter.Append(current, LogWriter.Lines("after", 0, 5)); // written while no agent ran
        var newer = Write("app.log.new", LogWriter.Lines("newer", 0, 3), DateTime.UtcNow);

        await ImportAsync(database, _dir.File("app.log*"));

        var checkpoints = (await _store.LoadAsync(Flow)).ToDictionary(c => c.Path);
        Assert.Equal(sentBytes, checkpoints[current].Offset);
        Assert.Equal(new FileInfo(old).Length, checkpoints[old].Offset);
        Assert.False(checkpoints.ContainsKey(newer));
        Assert.True(await _store.HasImportedAsync(Flow));

        // END_OF_FILE does not apply any more: the flow has checkpoints, so the newer file is read from its start.
        await using var tailing = Tailer.Start(Tailer.Fast(_dir.File("app.log*"), startAtEnd: true), output, _store);
        var expected = LogWriter.Lines("current", 12, 18).Concat(LogWriter.Lines("after", 0, 5)).Concat(LogWriter.Lines("newer", 0, 3)).ToList();
        await tailing.ReceivedAsync(expected.Count);
        await Task.Delay(300);
        Assert.Equal(expected.Select(line => line + "\n").Order(StringComparer.Ordinal), tailing.Sink.Texts.Order(StringComparer.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_file_renamed_since_is_found_by_its_identity()
    {
        var file = Write("app.log", LogWriter.Lines("a", 0, 10), DateTime.UtcNow.AddMinutes(-5));
        var database = JavaDb(JavaAgentDatabase.Row(Flow, file, 40));
        File.Move(file, _dir.File("app.log.1"));
        Write("app.log", LogWriter.Lines("b", 0, 2), DateTime.UtcNow);

        await ImportAsync(database, _dir.File("app.log*"));

        var checkpoint = Assert.Single(await _store.LoadAsync(Flow));
        Assert.Equal((_dir.File("app.log.1"), 40L), (checkpoint.Path, checkpoint.Offset));
    }

    public static TheoryData<string, Func<string, (string, string, long, string?, long?, long?, string?)>> Mismatches() => new()
    {
        { "another inode", f => (Flow, f, 10, "(dev=803,ino=1)", null, null, null) },
        { "a device in decimal", f => (Flow, f, 10, JavaAgentDatabase.FileIdOf(f).Replace("dev=", "dev=g", StringComparison.Ordinal), null, null, null) },
        { "an offset past the end", f => (Flow, f, 1_000_000, null, null, null, null) },
        { "a size larger than now", f => (Flow, f, 10, null, 1_000_000, null, null) },
        { "a modification time after now", f => (Flow, f, 10, null, null, DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds(), null) },
    };

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Mismatches))]
    public async Task A_row_whose_file_does_not_match_imports_nothing_and_the_flow_starts_as_new(string what, Func<string, (string, string, long, string?, long?, long?, string?)> row)
    {
        var file = Write("app.log", LogWriter.Lines("a", 0, 10), DateTime.UtcNow.AddMinutes(-5));
        var database = JavaDb(row(file));

        await ImportAsync(database, _dir.File("app.log*"));

        Assert.Empty(await _store.LoadAsync(Flow));
        Assert.True(await _store.HasImportedAsync(Flow), what);
        Assert.Single(_logger.WithId(3203), e => e.Level == LogLevel.Warning);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_flow_imports_once_and_never_over_checkpoints_of_its_own()
    {
        var file = Write("app.log", LogWriter.Lines("a", 0, 10), DateTime.UtcNow.AddMinutes(-5));
        var database = JavaDb(JavaAgentDatabase.Row(Flow, file, 40), JavaAgentDatabase.Row("kinesis:other", file, 20));
        await _store.SaveAsync([new FileCheckpoint("kinesis:other", 1, 2, 3, 4, "/x", 5, DateTimeOffset.UtcNow)]);

        await ImportAsync(database, _dir.File("app.log*"));
        await _store.SaveAsync([(await _store.LoadAsync(Flow)).Single() with { Offset = 80 }]);
        await _store.ForgetAsync(Flow, DateTimeOffset.MaxValue);
        await ImportAsync(database, _dir.File("app.log*"));
        await ImportAsync(database, _dir.File("app.log*"), "kinesis:other");

        Assert.Empty(await _store.LoadAsync(Flow)); // imported once, then forgotten: not imported again
        Assert.Equal(["/x"], (await _store.LoadAsync("kinesis:other")).Select(c => c.Path));
        Assert.False(await _store.HasImportedAsync("kinesis:other"));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_flow_the_Java_agent_did_not_know_and_a_missing_database_import_nothing()
    {
        Write("app.log", ["a"], DateTime.UtcNow);
        await ImportAsync(JavaDb(), _dir.File("app.log*"));
        Assert.True(await _store.HasImportedAsync(Flow));
        Assert.Empty(await _store.LoadAsync(Flow));

        var store = new InMemoryCheckpointStore();
        using var importer = new JavaCheckpointImporter(_dir.File("missing/checkpoints"), store, TimeProvider.System, _logger);
        await importer.ImportAsync(Flow, _dir.File("app.log*"));
        Assert.False(await store.HasImportedAsync(Flow)); // nothing was read: a database that appears later is still imported
    }

    [Fact(Timeout = 30_000)]
    public async Task A_corrupt_database_is_reported_in_one_warning_and_imports_nothing()
    {
        Write("app.log", ["a"], DateTime.UtcNow);
        var garbage = _dir.File("checkpoints");
        await File.WriteAllTextAsync(garbage, new string('x', 4096));

        await ImportAsync(garbage, _dir.File("app.log*"));

        Assert.Empty(await _store.LoadAsync(Flow));
        var warning = Assert.Single(_logger.WithId(3206), e => e.Level == LogLevel.Warning).Message;
        Assert.Contains(garbage, warning, StringComparison.Ordinal);
        Assert.Contains("not the Java agent's checkpoint database", warning, StringComparison.Ordinal);
    }

    [Fact(Timeout = 30_000)]
    public async Task Our_store_and_the_Java_table_share_a_file_without_colliding()
    {
        var file = Write("app.log", ["a"], DateTime.UtcNow);
        var database = JavaDb(JavaAgentDatabase.Row(Flow, file, 2));
        using (var store = new SqliteCheckpointStore(database))
        {
            await store.SaveAsync([new FileCheckpoint(Flow, 1, 2, 3, 4, "/x", 5, DateTimeOffset.UtcNow)]);
            Assert.Single(await store.LoadAsync(Flow));
        }

        using var java = JavaCheckpointDatabase.Open(database);
        Assert.Equal([(file, 2L)], java.Rows(Flow).Select(r => (r.Path, r.Offset)));
    }

    [Fact]
    public void The_Java_file_id_is_read_as_Java_prints_it()
    {
        var row = new JavaCheckpoint(Flow, "/a", "(dev=fd01,ino=123456789)", 0, 0, 0, null);
        Assert.True(row.TryParseFileId(out var device, out var inode));
        Assert.Equal((0xfd01UL, 123456789UL), (device, inode));
        Assert.False((row with { FileId = "(dev=fd01)" }).TryParseFileId(out _, out _));
        Assert.False((row with { FileId = "fd01:1" }).TryParseFileId(out _, out _));
    }

    public void Dispose() => _dir.Dispose();

    private async Task ImportAsync(string database, string pattern, string flow = Flow)
    {
        using var importer = new JavaCheckpointImporter(database, _store, TimeProvider.System, _logger);
        await importer.ImportAsync(flow, pattern);
    }

    private string JavaDb(params (string, string, long, string?, long?, long?, string?)[] rows)
    {
        var path = _dir.File("java/checkpoints");
        JavaAgentDatabase.Create(path, rows);
        return path;
    }

    private string Write(string name, IEnumerable<string> lines, DateTime modifiedUtc)
    {
        var path = _dir.File(name);
        LogWriter.Append(path, lines);
        File.SetLastWriteTimeUtc(path, modifiedUtc);
        return path;
    }

    private static long ByteLength(IEnumerable<string> lines) => lines.Sum(l => System.Text.Encoding.UTF8.GetByteCount(l) + 1);
}
