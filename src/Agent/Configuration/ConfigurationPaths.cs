namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// Which configuration file to read when none is named: the package's own <c>/etc/kinesis-agent/agent.json</c>, or,
/// when that folder holds no configuration (no <c>agent.json</c> and no <c>agent.d/*.json</c>), the Amazon Kinesis
/// Agent's <c>/etc/aws-kinesis/agent.json</c> with its <c>agent.d/</c>, so a host's existing files work unchanged.
/// </summary>
internal static class ConfigurationPaths
{
    /// <summary>The package's configuration folder.</summary>
    public const string OwnDirectory = "/etc/kinesis-agent";

    /// <summary>The Amazon Kinesis Agent's configuration folder.</summary>
    public const string JavaAgentDirectory = "/etc/aws-kinesis";

    /// <summary>
    /// The main file to read, and whether it is the Java agent's (to be logged). The folders are parameters so
    /// tests can point them elsewhere.
    /// </summary>
    public static (string Path, bool JavaAgentFallback) ResolveDefault(string ownDirectory = OwnDirectory, string javaAgentDirectory = JavaAgentDirectory)
    {
        var own = Path.Combine(ownDirectory, "agent.json");
        if (HasConfiguration(ownDirectory))
        {
            return (own, false);
        }

        var java = Path.Combine(javaAgentDirectory, "agent.json");
        return HasConfiguration(javaAgentDirectory) ? (java, true) : (own, false);
    }

    private static bool HasConfiguration(string directory)
    {
        if (File.Exists(Path.Combine(directory, "agent.json")))
        {
            return true;
        }

        var fragments = Path.Combine(directory, AgentConfigurationLoader.FragmentFolder);
        try
        {
            return Directory.Exists(fragments) && Directory.EnumerateFiles(fragments, "*.json").Any();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An unreadable folder is reported when it is loaded.
            return true;
        }
    }
}
