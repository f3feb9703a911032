using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Checkpoints;

/// <summary>The checkpoint store's log events; ids 3200-3249.</summary>
internal static partial class CheckpointsLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Checkpoint store {Path} opened (WAL, synchronous=NORMAL)")]
    public static partial void Opened(ILogger logger, string path);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Forgot {Count} checkpoints of flow {Flow} not updated since {Cutoff}")]
    public static partial void Forgot(ILogger logger, int count, string flow, DateTimeOffset cutoff);
}
