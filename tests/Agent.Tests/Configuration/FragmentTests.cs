using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Tests.Configuration;

public sealed class FragmentTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("agent-cfg-").FullName;

    private string Main => Path.Combine(_dir, "agent.json");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Fragments_append_their_flows_in_name_order_after_the_main_file()
    {
        Write("agent.json", """{ "flows": [ { "filePattern": "/var/log/main.log", "kinesisStream": "main" } ] }""");
        Write("agent.d/20-b.json", """{ "flows": [ { "filePattern": "/var/log/b.log", "kinesisStream": "b" } ] }""");
        Write("agent.d/10-a.json", """{ "flows": [ { "filePattern": "/var/log/a1.log", "kinesisStream": "a" }, { "filePattern": "/var/log/a2.log", "kinesisStream": "a" } ] }""");
        Write("agent.d/README.txt", "not json");
        Write("agent.d/30-c.json.disabled", "{ broken");

        var config = AgentConfigurationLoader.Load(Main);

        Assert.Equal(["main", "a", "a", "b"], config.Flows.Select(f => f.KinesisStream));
        Assert.Equal(Path.Combine(_dir, "agent.d/10-a.json"), config.Flows[1].SourceFile);
    }

    [Fact]
    public void A_fragment_may_set_a_top_level_key_nobody_else_sets()
    {
        Write("agent.json", """{ "flows": [ { "filePattern": "/a.log", "kinesisStream": "s" } ] }""");
        Write("agent.d/region.json", """{ "kinesis.region": "eu-west-1" }""");

        Assert.Equal("eu-west-1", AgentConfigurationLoader.Load(Main).Region);
    }

    [Fact]
    public void The_main_file_may_hold_no_flows_when_a_fragment_has_them()
    {
        Write("agent.json", """{ "cloudwatch.emitMetrics": false }""");
        Write("agent.d/app.json", """{ "flows": [ { "filePattern": "/a.log", "kinesisStream": "s" } ] }""");

        var config = AgentConfigurationLoader.Load(Main);

        Assert.False(config.CloudWatchEmitMetrics);
        Assert.Single(config.Flows);
    }

    [Fact]
    public void A_key_set_in_two_files_names_both()
    {
        Write("agent.json", """{ "kinesis.region": "us-east-1", "flows": [ { "filePattern": "/a.log", "kinesisStream": "s" } ] }""");
        var fragment = Write("agent.d/region.json", """{ "kinesis.region": "eu-west-1" }""");

        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfigurationLoader.Load(Main));

        Assert.Equal(fragment, error.File);
        Assert.Equal("kinesis.region", error.Key);
        Assert.Contains($"is already set in {Main}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_error_in_a_fragment_flow_names_the_fragment_and_its_own_index()
    {
        Write("agent.json", """{ "flows": [ { "filePattern": "/a.log", "kinesisStream": "s" } ] }""");
        var fragment = Write("agent.d/app.json", """{ "flows": [ { "filePattern": "/b.log", "kinesisStream": "s" }, { "filePattern": "relative.log", "kinesisStream": "s" } ] }""");

        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfigurationLoader.Load(Main));

        Assert.Equal(fragment, error.File);
        Assert.Equal("flows[1].filePattern", error.Key);
    }

    [Fact]
    public void An_unknown_key_in_a_fragment_names_the_fragment()
    {
        Write("agent.json", """{ "flows": [ { "filePattern": "/a.log", "kinesisStream": "s" } ] }""");
        var fragment = Write("agent.d/x.json", """{ "kinesis.regoin": "eu-west-1" }""");

        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfigurationLoader.Load(Main));

        Assert.Equal(fragment, error.File);
        Assert.Contains("did you mean 'kinesis.region'?", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_JSON_in_a_fragment_names_the_fragment()
    {
        Write("agent.json", """{ "flows": [ { "filePattern": "/a.log", "kinesisStream": "s" } ] }""");
        var fragment = Write("agent.d/bad.json", "{ \"flows\": [ }");

        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfigurationLoader.Load(Main));

        Assert.Equal(fragment, error.File);
        Assert.Contains("is not valid JSON at line 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_file_is_named()
    {
        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfigurationLoader.Load(Main));

        Assert.Equal(Main, error.File);
        Assert.Equal($"{Main}: does not exist", error.Message);
    }

    [Fact]
    public void A_file_that_cannot_be_read_is_named()
    {
        Directory.CreateDirectory(Main);

        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfigurationLoader.Load(Main));

        Assert.Equal(Main, error.File);
        Assert.Contains("cannot be read", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_byte_order_mark_is_accepted()
    {
        File.WriteAllBytes(Main, [0xEF, 0xBB, 0xBF, .. """{ "flows": [ { "filePattern": "/a.log", "kinesisStream": "s" } ] }"""u8]);

        Assert.Single(AgentConfigurationLoader.Load(Main).Flows);
    }

    [Fact]
    public void An_empty_file_is_not_valid_JSON()
    {
        Write("agent.json", "");

        var error = Assert.Throws<AgentConfigurationException>(() => AgentConfigurationLoader.Load(Main));

        Assert.Contains("is not valid JSON", error.Message, StringComparison.Ordinal);
    }
}
