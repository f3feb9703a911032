using Kinesis.Clients.Agent;
using Kinesis.Clients.Agent.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

AgentCommandLine command;
try
{
    command = AgentCommandLine.Parse(args, AgentConfigurationLoader.DefaultPath);
}
catch (ArgumentException ex)
{
    await Console.Error.WriteLineAsync($"kinesis-agent: {ex.Message}\n\n{AgentCommandLine.Usage}").ConfigureAwait(false);
    return 2;
}

switch (command.Command)
{
    case AgentCommandLine.Help:
        Console.WriteLine(AgentCommandLine.Usage);
        return 0;
    case AgentCommandLine.Version:
        Console.WriteLine($"kinesis-agent {typeof(AgentEngine).Assembly.GetName().Version}");
        return 0;
}

// sysexits' EX_CONFIG: the systemd unit does not restart the agent for it (RestartPreventExitStatus=78).
const int ConfigurationError = 78;

if (!command.ConfigGiven)
{
    var (path, javaAgentFallback) = ConfigurationPaths.ResolveDefault();
    if (javaAgentFallback)
    {
        await Console.Error.WriteLineAsync($"kinesis-agent: {ConfigurationPaths.OwnDirectory} has no configuration; reading the Amazon Kinesis Agent's {path} and its agent.d/").ConfigureAwait(false);
    }

    command = command with { ConfigPath = path };
}

AgentConfiguration config;
try
{
    config = AgentConfigurationLoader.Load(command.ConfigPath);
}
catch (AgentConfigurationException ex)
{
    await Console.Error.WriteLineAsync($"kinesis-agent: configuration error: {ex.Message}").ConfigureAwait(false);
    return ConfigurationError;
}

if (command.Command == AgentCommandLine.CheckConfig)
{
    Console.WriteLine(ConfigurationSummary.Describe(config, command.ConfigPath));
    return 0;
}

// The host's content root is the configuration's folder, which the agent has just read, not the working directory,
// which the service's user may be unable to search (the host would not start). The agent reads no appsettings file
// of its own, so nothing is watched for changes there.
var hostConfiguration = new ConfigurationManager();
hostConfiguration.AddInMemoryCollection([new("hostBuilder:reloadConfigOnChange", "false")]);
var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
{
    ContentRootPath = Path.GetDirectoryName(Path.GetFullPath(command.ConfigPath)) ?? "/",
    Configuration = hostConfiguration,
});
builder.Services.AddSystemd();
if (config.LogLevel is { } level)
{
    builder.Logging.SetMinimumLevel(level);
}

builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = config.ShutdownTimeout + TimeSpan.FromSeconds(5));
builder.Services.AddSingleton(config);
builder.Services.AddHostedService(sp => new AgentService(config, command.ConfigPath, sp.GetRequiredService<ILoggerFactory>()));
using var host = builder.Build();
try
{
    await host.RunAsync().ConfigureAwait(false);
}
catch (ArgumentException ex)
{
    // A combination of settings the producer refuses (e.g. maxBufferedBytes below the largest record).
    await Console.Error.WriteLineAsync($"kinesis-agent: configuration error in {command.ConfigPath}: {ex.Message}").ConfigureAwait(false);
    return ConfigurationError;
}
catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidOperationException)
{
    await Console.Error.WriteLineAsync($"kinesis-agent: cannot start: {ex.Message}").ConfigureAwait(false);
    return 1;
}

return Environment.ExitCode;
