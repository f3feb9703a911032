namespace Kinesis.Clients.Agent;

/// <summary>What the command line asked for: <c>run</c> or <c>check-config</c>, with the configuration file.</summary>
internal sealed record AgentCommandLine(string Command, string ConfigPath)
{
    /// <summary>Whether <c>-c</c> named the file; otherwise the default paths apply (see <see cref="Configuration.ConfigurationPaths"/>).</summary>
    public bool ConfigGiven { get; init; }

    public const string Run = "run";
    public const string CheckConfig = "check-config";
    public const string Help = "help";
    public const string Version = "version";

    public const string Usage = """
        usage: kinesis-agent run [-c|--config FILE]
               kinesis-agent check-config [-c|--config FILE]
               kinesis-agent --help | --version

        commands:
          run            tail the files of every flow and ship their lines to Kinesis until stopped (SIGTERM/SIGINT)
          check-config   read and validate the configuration (and its agent.d/*.json fragments), print a summary

        options:
          -c, --config FILE   the configuration file (default /etc/kinesis-agent/agent.json, or the Amazon Kinesis
                              Agent's /etc/aws-kinesis/agent.json when /etc/kinesis-agent has no configuration)
        """;

    /// <summary>Parses the arguments; throws <see cref="ArgumentException"/> with a message for the user.</summary>
    public static AgentCommandLine Parse(IReadOnlyList<string> args, string defaultConfigPath)
    {
        if (args.Count == 0)
        {
            throw new ArgumentException("a command is required");
        }

        var command = args[0] switch
        {
            Run or CheckConfig => args[0],
            "-h" or "--help" or "help" => Help,
            "--version" or "version" => Version,
            _ => throw new ArgumentException($"unknown command '{args[0]}'"),
        };
        var config = defaultConfigPath;
        var given = false;
        for (var i = 1; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "-c" or "--config" when i + 1 < args.Count && args[i + 1].Length > 0:
                    config = args[++i];
                    given = true;
                    break;
                case "-c" or "--config":
                    throw new ArgumentException($"{args[i]} needs a file name");
                case "-h" or "--help":
                    return new AgentCommandLine(Help, config) { ConfigGiven = given };
                default:
                    throw new ArgumentException($"unknown argument '{args[i]}'");
            }
        }

        return new AgentCommandLine(command, Path.GetFullPath(config)) { ConfigGiven = given };
    }
}
