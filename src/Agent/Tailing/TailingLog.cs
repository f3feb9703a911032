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

    [LoggerMessage(EventId = 3108, Level = LogLevel.Warning, Message = "Saving {Count} checkpoints of flow {Flow} failed; records are still sent, saving is retried every {Interval} and logged again once it works (until then a restart re-sends from the last saved offsets)")]
    public static partial void SaveFailed(ILogger logger, int count, string flow, TimeSpan interval, Exception exception);

    [LoggerMessage(EventId = 3115, Level = LogLevel.Information, Message = "Saved {Count} checkpoints of flow {Flow} again after {Failures} failed attempts over {Duration}")]
    public static partial void SavedAgain(ILogger logger, int count, string flow, int failures, TimeSpan duration);

    [LoggerMessage(EventId = 3110, Level = LogLevel.Warning, Message = "Forgetting old checkpoints of flow {Flow} failed")]
    public static partial void ForgetFailed(ILogger logger, string flow, Exception exception);

    [LoggerMessage(EventId = 3111, Level = LogLevel.Warning, Message = "Cannot tail {Path}: {Problem}; tried again at every discovery pass, logged again only once it changes")]
    public static partial void CannotTail(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 3112, Level = LogLevel.Information, Message = "{Path} can be tailed again (it could not: {Problem})")]
    public static partial void TailableAgain(ILogger logger, string path, string problem);

    [LoggerMessage(EventId = 3113, Level = LogLevel.Warning, Message = "Directory {Root} of {Pattern} does not exist; its files are tailed once it does")]
    public static partial void DirectoryMissing(ILogger logger, string root, string pattern);

    [LoggerMessage(EventId = 3114, Level = LogLevel.Information, Message = "Directory {Root} of {Pattern} exists now; its files are tailed")]
    public static partial void DirectoryBack(ILogger logger, string root, string pattern);

    [LoggerMessage(EventId = 3116, Level = LogLevel.Warning, Message = "Flow {Flow}: {Waiting} matching files wait for a descriptor ({Limit} are open, the most a flow holds); files read to their end are closed to make room and opened again when they grow")]
    public static partial void FilesWaiting(ILogger logger, string flow, int waiting, int limit);

    [LoggerMessage(EventId = 3117, Level = LogLevel.Information, Message = "Flow {Flow}: no file waits for a descriptor any more ({Open} open)")]
    public static partial void NoFilesWaiting(ILogger logger, string flow, int open);

    [LoggerMessage(EventId = 3118, Level = LogLevel.Debug, Message = "Closed {Path} at offset {Offset}, read to its end, to free a descriptor for a waiting file")]
    public static partial void ClosedIdle(ILogger logger, string path, long offset);

    [LoggerMessage(EventId = 3119, Level = LogLevel.Warning, Message = "{Count} records of {Path} are longer than {Max} bytes: each is sent cut to that size, ending in the truncatedRecordTerminator, and the rest of it up to its line break is dropped ({Total} cut in this file)")]
    public static partial void RecordsCut(ILogger logger, long count, string path, int max, long total);
}
