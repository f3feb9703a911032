using Kinesis.Clients.Agent.Tests.Configuration;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The program itself on broken configurations: both commands exit 78 with one line naming the file and the key,
/// and <c>run</c> starts nothing (its checkpoint database is never created).
/// </summary>
[Trait("Category", "Program")]
public sealed class BadConfigurationProgramTests
{
    public static TheoryData<string> Names() => [.. BadConfigurations.ForProgram];

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Names))]
    public async Task Each_stops_with_one_line_naming_the_file_and_key_and_starts_nothing(string name)
    {
        var (_, json, key, says) = BadConfigurations.All.Single(c => c.Name == name);
        var directory = Directory.CreateTempSubdirectory("agent-bad").FullName;
        try
        {
            var config = Path.Combine(directory, "agent.json");
            var checkpoints = Path.Combine(directory, "checkpoints.db");
            // The checkpoint file goes first, so that "nothing started" is visible whatever the broken key is.
            Assert.StartsWith("{ ", json, StringComparison.Ordinal);
            await File.WriteAllTextAsync(config, $"{{ \"checkpointFile\": \"{checkpoints}\", " + json[2..]);

            foreach (var command in new[] { "check-config", "run" })
            {
                var (code, output) = await AgentProcess.RunAsync(command, "-c", config);
                var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
                Assert.True(code == 78, $"{command}: exit {code}: {output}");
                var line = Assert.Single(lines);
                Assert.StartsWith($"kinesis-agent: configuration error: {config}: {key}: ", line, StringComparison.Ordinal);
                Assert.Contains(says, line, StringComparison.Ordinal);
                Assert.False(File.Exists(checkpoints), $"{command} created {checkpoints}");
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Check_config_prints_for_each_flow_whether_its_records_are_aggregated()
    {
        var directory = Directory.CreateTempSubdirectory("agent-cli").FullName;
        try
        {
            var config = Path.Combine(directory, "agent.json");
            await File.WriteAllTextAsync(config, """
                { "flows": [ { "filePattern": "/var/log/a/*.log", "kinesisStream": "kpl" },
                             { "filePattern": "/var/log/b/*.log", "kinesisStream": "raw", "kplAggregation": "false",
                               "dataProcessingOptions": [ { "optionName": "ADDBRACKETS" } ] } ] }
                """);

            var (code, output) = await AgentProcess.RunAsync("check-config", "-c", config);

            Assert.True(code == 0, output);
            Assert.Contains("/var/log/a/*.log -> kpl (partition key Random, EndOfFile, 0 processing options, records KPL-aggregated)", output, StringComparison.Ordinal);
            Assert.Contains("/var/log/b/*.log -> raw (partition key Random, EndOfFile, 1 processing options, records not aggregated: one Kinesis record per record)", output, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
