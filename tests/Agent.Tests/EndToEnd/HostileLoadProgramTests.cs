using Kinesis.Clients.Agent.Checkpoints;
using Xunit.Abstractions;
using static Kinesis.Clients.Agent.Tests.EndToEnd.HostileRun;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The agent program under hostile sizes: its checkpoint disk full, a 200 MB line without a line break, thousands
/// of files at once. Memory and descriptors stay bounded (figures printed), and nothing already read is lost.
/// </summary>
[Trait("Category", "Engine")]
[Trait("Category", "Program")]
public sealed class HostileLoadProgramTests(LocalAwsFixture fixture, ITestOutputHelper output) : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws = fixture.Aws;

    [Fact(Timeout = 300_000)]
    public async Task A_full_checkpoint_disk_is_said_once_records_keep_flowing_and_saving_resumes_when_space_is_back()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        var log = harness.PathOf("full/app.log");
        AgentHarness.Append(log, ["before 1", "before 2"]);
        var flow = Flow(harness.PathOf("full/*.log"), stream);
        var config = harness.WriteConfigFile(harness.ConfigJson([flow]));
        // RLIMIT_FSIZE makes every write of the agent's files fail with EFBIG, as a full disk fails with ENOSPC; the
        // shell ignores SIGXFSZ first (kept across exec) so the write fails instead of the signal killing the agent.
        using var agent = AgentProcess.Start(["run", "-c", config], null, null, ["/bin/sh", "-c", "trap '' XFSZ; exec \"$@\"", "sh"]);
        await LinesAsync(harness, stream, 2, agent);

        Run("prlimit", "--pid", agent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--fsize=0:unlimited");
        AgentHarness.Append(log, ["during 1", "during 2"]);
        await LinesAsync(harness, stream, 4, agent);
        await OutputAsync(agent, "Saving 1 checkpoints of flow .* failed");
        AgentHarness.Append(log, ["during 3"]);
        await LinesAsync(harness, stream, 5, agent);
        await Task.Delay(TimeSpan.FromSeconds(3)); // three more failing saves, which must not repeat the line

        Run("prlimit", "--pid", agent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "--fsize=unlimited:unlimited");
        await OutputAsync(agent, "Saved 1 checkpoints of flow .* again after [0-9]+ failed attempts");
        AgentHarness.Append(log, ["after 1"]);
        var lines = await LinesAsync(harness, stream, 6, agent);
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(["before 1", "before 2", "during 1", "during 2", "during 3", "after 1"], lines);
        Assert.True(Count(agent, "Saving [0-9]+ checkpoints of flow .* failed") == 1, agent.Output);
        using var store = new SqliteCheckpointStore(harness.CheckpointFile);
        var saved = Assert.Single(await store.LoadAsync($"kinesis:{stream}:{flow["filePattern"]}"));
        Assert.Equal(new FileInfo(log).Length, saved.Offset);
    }

    [Fact(Timeout = 600_000)]
    public async Task A_200_MB_line_without_a_line_break_is_cut_as_the_Java_agent_cuts_it_in_bounded_memory()
    {
        const int MaxRecord = 100_000;
        const int Chunk = 1 << 20;
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        var log = harness.PathOf("long/app.log");
        AgentHarness.Append(log, ["before"]);
        var flow = Flow(harness.PathOf("long/*.log"), stream);
        flow["maxRecordSizeBytes"] = MaxRecord;
        var config = harness.WriteConfigFile(harness.ConfigJson([flow]));
        using var agent = AgentProcess.Start("run", "-c", config);
        await LinesAsync(harness, stream, 1, agent);
        var before = agent.PeakResidentBytes();

        // 200 MiB of one line, written while the agent reads, and no line break.
        var block = new byte[Chunk];
        Array.Fill(block, (byte)'x');
        for (var i = 0; i < 200; i++)
        {
            AppendBytes(log, block);
        }

        await OutputAsync(agent, "1 records of .*app.log are longer than 100000 bytes");
        AgentHarness.Append(harness.PathOf("long/other.log"), ["other file"]); // the flow's other files go on meanwhile
        await LinesAsync(harness, stream, 2, agent);
        var whileOpen = agent.PeakResidentBytes();
        AppendBytes(log, Utf8("\nafter\n"));
        await LinesAsync(harness, stream, 4, agent);
        var records = await harness.ReadStreamAsync(stream);
        var peak = agent.PeakResidentBytes();
        output.WriteLine($"kinesis-agent peak RSS: {Mebibytes(before)} before the line, {Mebibytes(whileOpen)} while it had no line break, {Mebibytes(peak)} at the end (the line is 200 MiB; now {Mebibytes(agent.ResidentBytes())})");
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var lines = records.Select(r => r.Data.ToArray()).ToList();
        Assert.Equal(4, lines.Count);
        var cut = Assert.Single(lines, r => r.Length == MaxRecord);
        Assert.True(cut.AsSpan(0, MaxRecord - 1).IndexOfAnyExcept((byte)'x') < 0 && cut[^1] == '\n', "the first bytes of the line, ending in the terminator");
        Assert.Equal(["after\n", "before\n", "other file\n"], lines.Where(r => r.Length != MaxRecord).Select(r => System.Text.Encoding.UTF8.GetString(r)).Order(StringComparer.Ordinal));
        Assert.Equal(1, Count(agent, "records of .*app.log are longer than"));
        Assert.True(peak < 150L << 20, $"peak RSS {Mebibytes(peak)}: the 200 MiB line must not be held");
    }

    [Fact(Timeout = 600_000)]
    public async Task Three_thousand_files_at_once_are_all_sent_with_bounded_descriptors()
    {
        const int Files = 3000;
        const int Limit = 1024; // TailingOptions.MaxOpenFiles
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        var expected = new List<string>();
        for (var i = 0; i < Files; i++)
        {
            var lines = new[] { $"file {i} line 1", $"file {i} line 2" };
            AgentHarness.Append(harness.PathOf($"staging/many/f{i:D4}.log"), lines);
            expected.AddRange(lines);
        }

        // Made aside and moved into place at once, so the agent meets all of them in one pass.
        var config = harness.WriteConfigFile(harness.ConfigJson([Flow(Path.Combine(harness.Directory, "many", "*.log"), stream)]));
        using var agent = AgentProcess.Start("run", "-c", config);
        await OutputAsync(agent, "Directory .*many of .* does not exist");
        var baseline = agent.OpenDescriptors();
        Directory.Move(harness.PathOf("staging/many"), Path.Combine(harness.Directory, "many"));
        var peak = 0;
        var got = new List<string>();
        await Eventually.HoldsAsync(
            async () =>
            {
                peak = Math.Max(peak, agent.OpenDescriptors());
                got = (await harness.ReadStreamAsync(stream)).Select(AgentHarness.Line).ToList();
                peak = Math.Max(peak, agent.OpenDescriptors());
                return got.Count >= expected.Count || agent.HasExited;
            },
            () => $"{expected.Count} records, got {got.Count}; agent output:{Environment.NewLine}{agent.Output}",
            TimeSpan.FromMinutes(8));
        await OutputAsync(agent, "no file waits for a descriptor any more");
        var afterwards = agent.OpenDescriptors();
        output.WriteLine($"kinesis-agent descriptors: {baseline} before the files, at most {peak} seen while {Files} files were sent, {afterwards} afterwards; peak RSS {Mebibytes(agent.PeakResidentBytes())}");
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        Assert.Equal(expected.Order(StringComparer.Ordinal), got.Order(StringComparer.Ordinal));
        Assert.True(Count(agent, "matching files wait for a descriptor") == 1, agent.Output);
        // The files' descriptors plus a few more connections to the endpoint than when idle.
        Assert.True(peak <= baseline + Limit + 32, $"{peak} descriptors open at once ({baseline} before the files, limit {Limit} files)");
    }
}
