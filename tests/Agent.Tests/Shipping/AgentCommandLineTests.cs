namespace Kinesis.Clients.Agent.Tests.Shipping;

public sealed class AgentCommandLineTests
{
    [Theory]
    [InlineData(new[] { "run" }, "run", "/etc/kinesis-agent/agent.json")]
    [InlineData(new[] { "run", "-c", "/tmp/a.json" }, "run", "/tmp/a.json")]
    [InlineData(new[] { "check-config", "--config", "/tmp/b.json" }, "check-config", "/tmp/b.json")]
    [InlineData(new[] { "--help" }, "help", "/etc/kinesis-agent/agent.json")]
    [InlineData(new[] { "run", "--help" }, "help", "/etc/kinesis-agent/agent.json")]
    [InlineData(new[] { "--version" }, "version", "/etc/kinesis-agent/agent.json")]
    public void Commands_and_the_config_file_are_read(string[] args, string command, string config)
    {
        var parsed = AgentCommandLine.Parse(args, "/etc/kinesis-agent/agent.json");
        Assert.Equal(command, parsed.Command);
        Assert.Equal(config, parsed.ConfigPath);
        Assert.Equal(args.Contains("-c") || args.Contains("--config"), parsed.ConfigGiven);
    }

    [Theory]
    [InlineData(new string[0], "a command is required")]
    [InlineData(new[] { "start" }, "unknown command 'start'")]
    [InlineData(new[] { "run", "-c" }, "-c needs a file name")]
    [InlineData(new[] { "run", "--verbose" }, "unknown argument '--verbose'")]
    public void Bad_arguments_say_what_was_wrong(string[] args, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => AgentCommandLine.Parse(args, "/etc/kinesis-agent/agent.json"));
        Assert.Equal(message, ex.Message);
    }
}
