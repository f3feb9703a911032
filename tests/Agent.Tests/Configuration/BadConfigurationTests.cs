using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Tests.Configuration;

/// <summary>Every entry of <see cref="BadConfigurations"/> read from a file: one line naming the file and the key.</summary>
public sealed class BadConfigurationTests
{
    public static TheoryData<string> Names() => [.. BadConfigurations.All.Select(c => c.Name)];

    [Fact]
    public void The_table_has_at_least_twenty_distinct_configurations()
    {
        Assert.True(BadConfigurations.All.Length >= 20);
        Assert.Equal(BadConfigurations.All.Length, BadConfigurations.All.Select(c => c.Name).Distinct().Count());
        Assert.All(BadConfigurations.ForProgram, name => Assert.Contains(BadConfigurations.All, c => c.Name == name));
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Each_is_refused_in_one_line_naming_the_file_and_the_key(string name)
    {
        var (_, json, key, says) = BadConfigurations.All.Single(c => c.Name == name);
        using var dir = new Tailing.TempDirectory();
        var file = dir.File("agent.json");
        File.WriteAllText(file, json);

        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfigurationLoader.Load(file));

        Assert.Equal(file, error.File);
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"{file}: {key}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(says, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
        Assert.True(error.Message.Length < 2_000, $"a {error.Message.Length}-character message");
    }

    [Fact]
    public void A_configuration_path_that_cannot_be_read_as_a_file_is_named()
    {
        using var dir = new Tailing.TempDirectory();
        var path = dir.File("agent.json");
        Directory.CreateDirectory(path);

        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfigurationLoader.Load(path));

        Assert.Equal(path, error.File);
        Assert.StartsWith(path + ": ", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Fact]
    public void A_broken_fragment_is_named_rather_than_the_main_file()
    {
        using var dir = new Tailing.TempDirectory();
        File.WriteAllText(dir.File("agent.json"), """{ "flows": [ { "filePattern": "/var/log/*.log", "kinesisStream": "a" } ] }""");
        Directory.CreateDirectory(dir.File("agent.d"));
        var fragment = dir.File("agent.d/20-web.json");
        File.WriteAllText(fragment, """{ "flows": [ { "filePattern": "/var/log/web/*.log", "kinesisStream": "w", "maxBufferSizeRecords": "many" } ] }""");

        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfigurationLoader.Load(dir.File("agent.json")));

        Assert.Equal(fragment, error.File);
        Assert.Equal("flows[0].maxBufferSizeRecords", error.Key);
    }
}
