using Amazon.Runtime;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent;

/// <summary>What the host (or a test) adds to the configuration file.</summary>
internal sealed class AgentEngineOptions
{
    public ILoggerFactory? LoggerFactory { get; init; }

    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Credentials to use instead of those the configuration names (tests).</summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>False to never upload metrics whatever the configuration says (tests, benchmarks).</summary>
    public bool EmitCloudWatchMetrics { get; init; } = true;
}
