using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Tests.Configuration;

/// <summary>Parses configuration text for tests, under the default file name.</summary>
internal static class ConfigText
{
    public const string File = AgentConfigurationLoader.DefaultPath;

    public static AgentConfiguration Parse(string json) => AgentConfigurationLoader.Parse(json, File);

    /// <summary>A configuration with one flow whose extra keys are <paramref name="flowKeys"/> (JSON members).</summary>
    public static AgentConfiguration ParseFlow(string flowKeys) => Parse(WithFlow(flowKeys));

    public static string WithFlow(string flowKeys) =>
        $$"""{ "flows": [ { "filePattern": "/var/log/app/*.log", "kinesisStream": "app-logs"{{(flowKeys.Length > 0 ? ", " + flowKeys : "")}} } ] }""";

    public static AgentConfigurationException Error(string json) =>
        Assert.Throws<AgentConfigurationException>(() => Parse(json));

    public static AgentConfigurationException FlowError(string flowKeys) => Error(WithFlow(flowKeys));

    /// <summary>Checks that an error names the configuration file, the key, and each fragment of its reason.</summary>
    public static void AssertNames(AgentConfigurationException error, string key, params string[] fragments)
    {
        Assert.Equal(File, error.File);
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"{File}: {key}: ", error.Message, StringComparison.Ordinal);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }
    }
}
