using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Checkpoints;

/// <summary>The checkpoint store's log events; ids 3200-3249.</summary>
internal static partial class CheckpointsLog
{
    [LoggerMessage(EventId = 3200, Level = LogLevel.Information, Message = "Checkpoint store {Path} opened (WAL, synchronous=NORMAL)")]
    public static partial void Opened(ILogger logger, string path);

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information, Message = "Forgot {Count} checkpoints of flow {Flow} not updated since {Cutoff}")]
    public static partial void Forgot(ILogger logger, int count, string flow, DateTimeOffset cutoff);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Information, Message = "Imported the Java agent's checkpoint of flow {Flow}: {File} resumes at offset {Offset}; {Older} older files of the flow taken as sent (from {Source})")]
    public static partial void JavaCheckpointImported(ILogger logger, string flow, string file, long offset, int older, string source);

    [LoggerMessage(EventId = 3203, Level = LogLevel.Warning, Message = "Ignored the Java agent's checkpoint of flow {Flow} ({File} at offset {Offset}, from {Source}): {Reason}; the flow starts as a new one (initialPosition)")]
    public static partial void JavaCheckpointIgnored(ILogger logger, string flow, string file, long offset, string source, string reason);

    [LoggerMessage(EventId = 3204, Level = LogLevel.Information, Message = "Ignored {Count} older checkpoints of flow {Flow} in {Source}: the Java agent resumes a flow only from its latest")]
    public static partial void JavaOlderRowsIgnored(ILogger logger, int count, string flow, string source);

    [LoggerMessage(EventId = 3205, Level = LogLevel.Information, Message = "The Java agent's checkpoint database {Source} has no checkpoint of flow {Flow}; nothing to import")]
    public static partial void JavaFlowAbsent(ILogger logger, string flow, string source);

    [LoggerMessage(EventId = 3206, Level = LogLevel.Warning, Message = "Cannot import checkpoints from {Source}: it {Reason}; nothing imported, new flows start at their initialPosition")]
    public static partial void JavaDatabaseUnreadable(ILogger logger, string source, string reason);

    [LoggerMessage(EventId = 3207, Level = LogLevel.Information, Message = "No Java agent checkpoint database at {Source}; nothing to import")]
    public static partial void JavaDatabaseAbsent(ILogger logger, string source);
}
