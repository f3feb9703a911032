using System.Runtime.Versioning;
using System.Text;
using static Kinesis.Clients.Agent.Tests.EndToEnd.HostileRun;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The agent program over files that turn hostile while it runs: permissions taken away, a directory deleted and
/// made again, symbolic links (a replaced file, a loop, a link to a directory), bytes that are not text. Each is
/// said once in the log, other files go on, and nothing already read is lost.
/// </summary>
[Trait("Category", "Engine")]
[Trait("Category", "Program")]
[UnsupportedOSPlatform("windows")] // the agent is a Linux program; file modes are POSIX
public sealed class HostileFileProgramTests : IClassFixture<LocalAwsFixture>
{
    private const int Nobody = 65534;
    private readonly LocalAws _aws;

    public HostileFileProgramTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact(Timeout = 300_000)]
    public async Task A_file_that_cannot_be_read_is_said_once_and_read_once_it_can_be()
    {
        // Root reads any file whatever its mode, so the agent runs as nobody, as a hardened service would.
        Assert.True(File.Exists("/usr/bin/setpriv"), "setpriv (util-linux) runs the agent under an unprivileged uid");
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        var state = Path.GetDirectoryName(harness.CheckpointFile)!;
        Directory.CreateDirectory(state);
        File.SetUnixFileMode(state, (UnixFileMode)0x1FF); // the agent's own uid must write its checkpoints
        var a = harness.PathOf("perm/a.log");
        var b = harness.PathOf("perm/b.log");
        AgentHarness.Append(a, ["a1", "a2"]);
        var config = harness.WriteConfigFile(harness.ConfigJson([Flow(harness.PathOf("perm/*.log"), stream)]));
        var program = AgentProcess.CopyProgramTo(harness.PathOf("program"));
        using var agent = AgentProcess.Start(["run", "-c", config], null, null,
            ["/usr/bin/setpriv", $"--reuid={Nobody}", $"--regid={Nobody}", "--clear-groups", "--"], program);
        await LinesAsync(harness, stream, 2, agent);
        Assert.Contains($"\t{Nobody}\t", File.ReadLines($"/proc/{agent.Id}/status").First(l => l.StartsWith("Uid:", StringComparison.Ordinal)), StringComparison.Ordinal);

        // A new file nobody may read: said once, while the other file goes on.
        var staged = harness.PathOf("staging/b.log"); // made unreadable before the pattern can see it
        AgentHarness.Append(staged, ["b1", "b2"]);
        File.SetUnixFileMode(staged, UnixFileMode.None);
        File.Move(staged, b);
        await OutputAsync(agent, "Cannot tail .*b.log: .*Permission denied");
        AgentHarness.Append(a, ["a3"]);
        await LinesAsync(harness, stream, 3, agent);
        await Task.Delay(TimeSpan.FromSeconds(3)); // three more discovery passes, which must not repeat the line

        // The tailed file loses its permissions: its open descriptor still reads what is written.
        File.SetUnixFileMode(a, UnixFileMode.None);
        AgentHarness.Append(a, ["a4"]);
        await LinesAsync(harness, stream, 4, agent);

        File.SetUnixFileMode(b, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var lines = await LinesAsync(harness, stream, 6, agent);
        await OutputAsync(agent, "b.log can be tailed again");
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(["a1", "a2", "a3", "a4"], lines.Where(l => l[0] == 'a'));
        Assert.Equal(["b1", "b2"], lines.Where(l => l[0] == 'b'));
        Assert.Equal(6, lines.Count);
        Assert.Equal(1, Count(agent, "Cannot tail .*b.log"));
        Assert.Equal(1, Count(agent, "b.log can be tailed again"));
    }

    [Fact(Timeout = 300_000)]
    public async Task A_directory_that_disappears_is_said_once_its_last_lines_are_sent_and_it_is_tailed_when_back()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        var directory = Path.GetDirectoryName(harness.PathOf("gone/app/x"))!;
        var log = Path.Combine(directory, "app.log");
        AgentHarness.Append(log, ["first 1", "first 2"]);
        var other = harness.PathOf("stays/app.log");
        var config = harness.WriteConfigFile(harness.ConfigJson(
            [Flow(Path.Combine(directory, "*.log"), stream), Flow(harness.PathOf("stays/*.log"), stream)]));
        using var agent = AgentProcess.Start("run", "-c", config);
        await LinesAsync(harness, stream, 2, agent);

        // Lines written just before the directory goes are read through the open descriptor.
        AgentHarness.Append(log, ["last 1", "last 2"]);
        Directory.Delete(directory, recursive: true);
        await OutputAsync(agent, "Directory .*gone/app of .* does not exist");
        AgentHarness.Append(other, ["other 1"]);
        await LinesAsync(harness, stream, 5, agent);
        await Task.Delay(TimeSpan.FromSeconds(3)); // more discovery passes, which must not repeat the line

        Directory.CreateDirectory(directory);
        AgentHarness.Append(log, ["second 1"]);
        var lines = await LinesAsync(harness, stream, 6, agent);
        await OutputAsync(agent, "Directory .*gone/app of .* exists now");
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(["first 1", "first 2", "last 1", "last 2", "other 1", "second 1"], lines.Order(StringComparer.Ordinal));
        Assert.Equal(1, Count(agent, "Directory .*gone/app of .* does not exist"));
        Assert.Equal(1, Count(agent, "Directory .*gone/app of .* exists now"));
    }

    [Fact(Timeout = 300_000)]
    public async Task Symbolic_links_are_followed_once_and_loops_and_directories_are_said_once()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        var log = harness.PathOf("sym/app.log");
        AgentHarness.Append(log, ["plain 1"]);
        var config = harness.WriteConfigFile(harness.ConfigJson([Flow(harness.PathOf("sym/*.log"), stream)]));
        using var agent = AgentProcess.Start("run", "-c", config);
        await LinesAsync(harness, stream, 1, agent);

        // The file is moved out of the pattern and a link to another file takes its name (and a second link too).
        AgentHarness.Append(log, ["plain 2"]);
        File.Move(log, harness.PathOf("old/app.log.1"));
        var target = harness.PathOf("targets/real.log");
        AgentHarness.Append(target, ["linked 1", "linked 2"]);
        File.CreateSymbolicLink(log, target);
        File.CreateSymbolicLink(harness.PathOf("sym/second.log"), target);
        File.CreateSymbolicLink(harness.PathOf("sym/loop.log"), harness.PathOf("sym/loop.log"));
        Directory.CreateSymbolicLink(harness.PathOf("sym/dir.log"), Path.GetDirectoryName(target)!);
        await LinesAsync(harness, stream, 4, agent);
        await OutputAsync(agent, "Cannot tail .*loop.log: .*symbolic links");
        await OutputAsync(agent, "Cannot tail .*dir.log: it is a directory");
        AgentHarness.Append(target, ["linked 3"]);
        var lines = await LinesAsync(harness, stream, 5, agent);
        await Task.Delay(TimeSpan.FromSeconds(3)); // more passes: no line repeats, no record twice
        lines = await LinesAsync(harness, stream, 5, agent);
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(["linked 1", "linked 2", "linked 3", "plain 1", "plain 2"], lines.Order(StringComparer.Ordinal));
        Assert.Equal(1, Count(agent, "Cannot tail .*loop.log"));
        Assert.Equal(1, Count(agent, "Cannot tail .*dir.log"));
    }

    [Fact(Timeout = 300_000)]
    public async Task Bytes_that_are_not_text_are_sent_as_they_are_and_converted_as_Java_decodes_them()
    {
        await using var harness = AgentHarness.Create(_aws);
        var raw = await harness.NewStreamAsync(1);
        var csv = await harness.NewStreamAsync(1);
        // Every byte but the line feed, invalid UTF-8 (a bad continuation, 0xFF, an encoded surrogate), NUL and a lone CR.
        List<byte[]> lines =
        [
            [.. Enumerable.Range(0, 256).Where(b => b != '\n').Select(b => (byte)b)],
            [0x61, 0xC3, 0x28, 0x2C, 0xFF, 0xFE],
            [0xED, 0xA0, 0x80, 0x2C, 0x00, 0x0D, 0x62],
            [],
        ];
        var content = lines.SelectMany(l => l.Append((byte)'\n')).ToArray();
        AppendBytes(harness.PathOf("bin/raw.log"), content);
        AppendBytes(harness.PathOf("bin/csv/data.log"), [.. lines[1], (byte)'\n', .. lines[2], (byte)'\n']);
        var rawFlow = Flow(harness.PathOf("bin/raw.log"), raw);
        rawFlow["kplAggregation"] = "false";
        var csvFlow = Flow(harness.PathOf("bin/csv/*.log"), csv);
        csvFlow["dataProcessingOptions"] = new object[] { new Dictionary<string, object> { ["optionName"] = "CSVTOJSON", ["customFieldNames"] = new[] { "a", "b" } } };
        var config = harness.WriteConfigFile(harness.ConfigJson([rawFlow, csvFlow]));
        using var agent = AgentProcess.Start("run", "-c", config);

        await LinesAsync(harness, raw, lines.Count, agent);
        await LinesAsync(harness, csv, 2, agent);
        var rawRecords = (await harness.ReadStreamAsync(raw)).Select(r => r.Data.ToArray()).ToList();
        var json = (await harness.ReadStreamAsync(csv)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToList();
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(lines.Select(l => Convert.ToHexString([.. l, (byte)'\n'])), rawRecords.Select(r => Convert.ToHexString(r)));
        // Java decodes with new String(bytes, UTF_8): one U+FFFD per malformed sequence (one for an encoded surrogate's
        // three bytes); Jackson escapes control characters.
        Assert.Equal(["{\"a\":\"a\uFFFD(\",\"b\":\"\uFFFD\uFFFD\"}\n", "{\"a\":\"\uFFFD\",\"b\":\"\\u0000\\rb\"}\n"], json);
    }
}
