using Kinesis.Clients.Agent.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent;

/// <summary>
/// Runs the <see cref="AgentEngine"/> inside the Generic Host: started with the host (systemd hears READY=1
/// after this returns), stopped on SIGTERM/SIGINT within the configured shutdown timeout.
/// </summary>
internal sealed class AgentService(AgentConfiguration config, string configPath, ILoggerFactory loggers) : IHostedService, IAsyncDisposable
{
    private readonly ILogger _logger = loggers.CreateLogger<AgentService>();
    private AgentEngine? _engine;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _engine = new AgentEngine(config, new AgentEngineOptions { LoggerFactory = loggers });
        _engine.Start();
        AgentLog.Started(_logger, config.Flows.Count, configPath, config.CheckpointFile);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => _engine?.StopAsync(cancellationToken) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_engine is not null)
        {
            await _engine.DisposeAsync().ConfigureAwait(false);
        }
    }
}
