using System.Text;
using Kinesis.Clients.Agent.Tests.Checkpoints;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The agent program replacing the Java agent on a host: it resumes each file where the Java agent's checkpoint
/// database says it stopped, and refuses a named database it cannot read.
/// </summary>
[Trait("Category", "Engine")]
[Trait("Category", "Program")]
public sealed class JavaCheckpointImportProgramTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public JavaCheckpointImportProgramTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task The_program_resumes_at_the_Java_agents_offset_sending_neither_earlier_nor_missing_lines()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        var log = harness.PathOf("logs/app.log");
        var sent = Enumerable.Range(0, 40).Select(i => $"sent by the Java agent {i}").ToList();
        var unsent = Enumerable.Range(0, 25).Select(i => $"not yet sent {i}").ToList();
        AgentHarness.Append(log, sent);
        AgentHarness.Append(log, unsent.Take(10));
        File.SetLastWriteTimeUtc(log, DateTime.UtcNow.AddMinutes(-10));
        var pattern = Path.Combine(harness.Directory, "logs", "app.log*");
        var offset = sent.Sum(l => Encoding.UTF8.GetByteCount(l) + 1);
        JavaAgentDatabase.Create(harness.JavaCheckpointFile, JavaAgentDatabase.Row($"kinesis:{stream}:{pattern}", log, offset));
        AgentHarness.Append(log, unsent.Skip(10)); // written after the Java agent stopped

        // END_OF_FILE (the default) would skip everything here: only the import makes the flow resume.
        var config = harness.WriteConfigFile(harness.ConfigJson([new Dictionary<string, object>
        {
            ["filePattern"] = pattern,
            ["kinesisStream"] = stream,
            ["maxBufferAgeMillis"] = 1000,
        }]));
        using var agent = AgentProcess.Start("run", "-c", config);
        var got = new List<string>();
        var deadline = DateTime.UtcNow + AgentHarness.Deadline;
        while (got.Count < unsent.Count && DateTime.UtcNow < deadline && !agent.HasExited)
        {
            await Task.Delay(500);
            got = (await harness.ReadStreamAsync(stream)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToList();
        }

        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.True(unsent.Select(line => line + "\n").SequenceEqual(got), $"expected the {unsent.Count} unsent lines, got {got.Count}:{Environment.NewLine}{string.Join(Environment.NewLine, got)}{Environment.NewLine}agent output:{Environment.NewLine}{agent.Output}");
        Assert.Contains($"resumes at offset {offset}", agent.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_named_Java_database_that_is_corrupt_stops_the_program_with_exit_78_before_anything_starts()
    {
        await using var harness = AgentHarness.Create(_aws);
        var corrupt = harness.PathOf("java/checkpoints");
        await File.WriteAllTextAsync(corrupt, new string('x', 4096));
        var config = harness.WriteConfigFile(harness.ConfigJson([new Dictionary<string, object>
        {
            ["filePattern"] = harness.PathOf("logs/app.log"),
            ["kinesisStream"] = "never-created",
        }]));

        foreach (var command in new[] { "check-config", "run" })
        {
            var (code, output) = await AgentProcess.RunAsync(command, "-c", config);
            Assert.True(code == 78, $"{command}: exit {code}: {output}");
            var line = Assert.Single(output.Split('\n', StringSplitOptions.RemoveEmptyEntries));
            Assert.Contains($"{config}: checkpointFile: '{corrupt}' is not the Java agent's checkpoint database", line, StringComparison.Ordinal);
        }

        Assert.False(File.Exists(harness.CheckpointFile), "nothing was started, not even our checkpoint database");
    }
}
