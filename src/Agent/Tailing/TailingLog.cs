using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>The tailing engine's log events; ids 3100-3199.</summary>
internal static partial class TailingLog
{
    [LoggerMessage(EventId = 3100, Level = LogLevel.Information, Message = "Flow {Flow} tails {Pattern} ({Checkpoints} checkpoints loaded{FirstStart})")]
    public static partial void FlowStarting(ILogger logger, string flow, string pattern, int checkpoints, string firstStart);

    [LoggerMessage(EventId = 3101, Level = LogLevel.Information, Message = "Tailing {Path} (file {Key}) from offset {Offset} of {Size}: {Reason}")]
    public static partial void Opened(ILogger logger, string path, FileKey key, long offset, long size, string reason);

    [LoggerMessage(EventId = 3102, Level = LogLevel.Information, Message = "{Path} starts over from offset 0 because {Reason}; {Settled} bytes of the old content were sent (generation {Old} -> {New})")]
    public static partial void Truncated(ILogger logger, string path, string reason, long settled, int old, int @new);

    [LoggerMessage(EventId = 3103, Level = LogLevel.Information, Message = "Closed {Path} (now {CurrentPath}) at offset {Offset}: no longer matched by the pattern (deleted: {Deleted}) and read to its end")]
    public static partial void Released(ILogger logger, string path, string currentPath, long offset, bool deleted);

    [LoggerMessage(EventId = 3104, Level = LogLevel.Information, Message = "{Path} has the inode of a checkpointed file but other content (inode reused); reading it as a new file")]
    public static partial void InodeReused(ILogger logger, string path);

    [LoggerMessage(EventId = 3105, Level = LogLevel.Debug, Message = "{Path} looks like a copy of content already read; waiting {Quiet} for it to settle")]
    public static partial void CopyPending(ILogger logger, string path, TimeSpan quiet);

    [LoggerMessage(EventId = 3106, Level = LogLevel.Error, Message = "Reading {Path} failed; the file is closed and found again by the next discovery pass")]
    public static partial void ReadFailed(ILogger logger, string path, Exception exception);

    [LoggerMessage(EventId = 3107, Level = LogLevel.Warning, Message = "Discovering files for {Pattern} failed")]
    public static partial void DiscoveryFailed(ILogger logger, string pattern, Exception exception);

    [LoggerMessage(EventId = 3108, Level = LogLevel.Warning, Message = "Saving {Count} checkpoints of flow {Flow} failed; retrying at the next interval")]
    public static partial void SaveFailed(ILogger logger, int count, string flow, Exception exception);

    [LoggerMessage(EventId = 3109, Level = LogLevel.Debug, Message = "Cannot open {Path}: {Reason}")]
    public static partial void OpenFailed(ILogger logger, string path, string reason);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Forgetting old checkpoints of flow {Flow} failed")]
    public static partial void ForgetFailed(ILogger logger, string flow, Exception exception);
}
