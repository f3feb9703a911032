namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>The program's commands and its answers to bad configurations.</summary>
[Trait("Category", "Program")]
public sealed class CommandLineTests
{
    [Fact]
    public async Task Check_config_accepts_a_valid_file_and_prints_its_flows()
    {
        var directory = Directory.CreateTempSubdirectory("agent-cli").FullName;
        var config = Path.Combine(directory, "agent.json");
        await File.WriteAllTextAsync(config, """{ "flows": [ { "filePattern": "/var/log/app/*.log", "kinesisStream": "my-stream" } ] }""");

        var (code, output) = await AgentProcess.RunAsync("check-config", "-c", config);

        Assert.True(code == 0, output);
        Assert.Contains("configuration OK", output, StringComparison.Ordinal);
        Assert.Contains("/var/log/app/*.log -> my-stream", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{ "flows": [ { "filePattern": "/var/log/*.log", "kinesisStream": "s", "colour": "red" } ] }""", "colour")]
    [InlineData("""{ "flows": [ { "filePattern": "/var/log/*.log", "kinesisStream": 5 } ] }""", "kinesisStream")]
    [InlineData("""{ "flows": [ { "filePattern": "/var/log/*.log", "kinesisStream": "s", "multiLineStartPattern": "([a-" } ] }""", "multiLineStartPattern")]
    [InlineData("""{ "flows": [ { "filePattern": "/var/log/*.log" } ] }""", "kinesisStream")]
    public async Task A_bad_configuration_stops_both_commands_with_the_file_and_key_named(string json, string key)
    {
        var directory = Directory.CreateTempSubdirectory("agent-cli").FullName;
        var config = Path.Combine(directory, "agent.json");
        await File.WriteAllTextAsync(config, json);

        foreach (var command in new[] { "check-config", "run" })
        {
            var (code, output) = await AgentProcess.RunAsync(command, "-c", config);
            Assert.True(code == 78, $"{command}: exit {code}: {output}");
            Assert.Contains("agent.json", output, StringComparison.Ordinal);
            Assert.Contains(key, output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_missing_configuration_file_is_named()
    {
        var (code, output) = await AgentProcess.RunAsync("check-config", "-c", "/nonexistent/agent.json");
        Assert.Equal(78, code);
        Assert.Contains("/nonexistent/agent.json", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_command_prints_the_usage()
    {
        var (code, output) = await AgentProcess.RunAsync("frobnicate");
        Assert.Equal(2, code);
        Assert.Contains("usage: kinesis-agent run", output, StringComparison.Ordinal);
    }
}
