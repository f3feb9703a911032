using Kinesis.Clients.Agent.Configuration;
using Kinesis.Clients.Agent.Tests.Tailing;

namespace Kinesis.Clients.Agent.Tests.Configuration;

/// <summary>The default configuration: the package's folder, else the Amazon Kinesis Agent's.</summary>
public sealed class ConfigurationPathsTests
{
    [Fact]
    public void The_own_folder_wins_when_it_has_an_agent_json()
    {
        using var dir = new TempDirectory();
        var (own, java) = Folders(dir);
        File.WriteAllText(Path.Combine(own, "agent.json"), "{}");
        File.WriteAllText(Path.Combine(java, "agent.json"), "{}");

        Assert.Equal((Path.Combine(own, "agent.json"), false), ConfigurationPaths.ResolveDefault(own, java));
    }

    [Fact]
    public void Fragments_alone_are_a_configuration_of_the_own_folder()
    {
        using var dir = new TempDirectory();
        var (own, java) = Folders(dir);
        Directory.CreateDirectory(Path.Combine(own, "agent.d"));
        File.WriteAllText(Path.Combine(own, "agent.d", "10-app.json"), "{}");
        File.WriteAllText(Path.Combine(java, "agent.json"), "{}");

        Assert.Equal((Path.Combine(own, "agent.json"), false), ConfigurationPaths.ResolveDefault(own, java));
    }

    [Fact]
    public void The_Java_agent_files_are_read_when_the_own_folder_has_none()
    {
        using var dir = new TempDirectory();
        var (own, java) = Folders(dir);
        Directory.CreateDirectory(Path.Combine(own, "agent.d"));
        File.WriteAllText(Path.Combine(own, "agent.d", "README"), "not json");
        File.WriteAllText(Path.Combine(java, "agent.json"), "{}");

        Assert.Equal((Path.Combine(java, "agent.json"), true), ConfigurationPaths.ResolveDefault(own, java));
    }

    [Fact]
    public void The_Java_agent_fragments_alone_are_enough_to_fall_back()
    {
        using var dir = new TempDirectory();
        var (own, java) = Folders(dir);
        Directory.CreateDirectory(Path.Combine(java, "agent.d"));
        File.WriteAllText(Path.Combine(java, "agent.d", "app.json"), "{}");

        Assert.Equal((Path.Combine(java, "agent.json"), true), ConfigurationPaths.ResolveDefault(own, java));
    }

    [Fact]
    public void With_neither_the_own_path_is_kept_so_the_error_names_it()
    {
        using var dir = new TempDirectory();
        var (own, java) = Folders(dir);

        Assert.Equal((Path.Combine(own, "agent.json"), false), ConfigurationPaths.ResolveDefault(own, java));
    }

    [Fact]
    public void A_Java_agent_configuration_with_its_fragments_loads_unchanged()
    {
        using var dir = new TempDirectory();
        var (own, java) = Folders(dir);
        File.WriteAllText(Path.Combine(java, "agent.json"), """
            { "cloudwatch.emitMetrics": "false", "flows": [ { "filePattern": "/var/log/app/*.log", "kinesisStream": "app", "maxBufferAgeMillis": "60000" } ] }
            """);
        Directory.CreateDirectory(Path.Combine(java, "agent.d"));
        File.WriteAllText(Path.Combine(java, "agent.d", "web.json"), """{ "flows": [ { "filePattern": "/var/log/web/*.log", "kinesisStream": "web" } ] }""");

        var (path, fallback) = ConfigurationPaths.ResolveDefault(own, java);
        var config = AgentConfigurationLoader.Load(path);

        Assert.True(fallback);
        Assert.False(config.CloudWatchEmitMetrics);
        Assert.Equal(["app", "web"], config.Flows.Select(f => f.KinesisStream));
    }

    private static (string Own, string Java) Folders(TempDirectory dir)
    {
        var own = Directory.CreateDirectory(dir.File("kinesis-agent")).FullName;
        var java = Directory.CreateDirectory(dir.File("aws-kinesis")).FullName;
        return (own, java);
    }
}
