using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Tests.Configuration;

/// <summary>The configuration README's table must list every key the loader accepts, so no default goes undocumented.</summary>
public sealed class ReadmeTests
{
    private static readonly string[] Lines = File.ReadAllLines(FindReadme());

    private static string FindReadme()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "src", "Agent", "Configuration", "README.md");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException("src/Agent/Configuration/README.md not found above the test output folder.");
    }

    private static string? Row(string key) => Lines.FirstOrDefault(l => l.StartsWith($"| `{key}` |", StringComparison.Ordinal));

    public static TheoryData<string> AllKeys()
    {
        var data = new TheoryData<string>();
        foreach (var key in AgentSettingsReader.Keys.Concat(FlowReader.Keys).Concat(["optionName", "parseOptions", "customFieldNames", "delimiter", "jsonFormat", "logFormat", "matchPattern", "metadata", "timestamp", "metadataTTL", "deliveryStream", "userDefinedCredentialsProvider.classname", "userDefinedCredentialsProvider.location"]).Distinct())
        {
            data.Add(key);
        }

        return data;
    }

    public static TheoryData<string> NoEffectKeys()
    {
        var data = new TheoryData<string>();
        foreach (var key in AgentSettingsReader.NoEffect.Concat(FlowReader.NoEffect).Distinct(StringComparer.Ordinal))
        {
            data.Add(key);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllKeys))]
    public void Every_accepted_key_has_a_row_in_the_README(string key) => Assert.NotNull(Row(key));

    [Theory]
    [MemberData(nameof(NoEffectKeys))]
    public void Every_key_without_effect_is_marked_so_in_the_README(string key) =>
        Assert.Contains("No effect", Row(key) ?? string.Empty, StringComparison.Ordinal);
}
