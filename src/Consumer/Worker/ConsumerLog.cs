using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>The worker's log events; ids 2000-2099 (leases use 2100-2199).</summary>
internal static partial class ConsumerLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Worker {WorkerId} consuming stream {Stream} for application {Application}")]
    public static partial void WorkerStarted(ILogger logger, string workerId, string stream, string application);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Information, Message = "Shard {ShardId} started from {Checkpoint}")]
    public static partial void ShardStarted(ILogger logger, string shardId, ExtendedSequenceNumber checkpoint);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Shard {ShardId} ended; children {Children}")]
    public static partial void ShardEnded(ILogger logger, string shardId, IReadOnlyList<string> children);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Error, Message = "Processing shard {ShardId} failed: {Reason}; its lease is released for a retry")]
    public static partial void ShardFailed(ILogger logger, string shardId, string reason, Exception exception);

    [LoggerMessage(EventId = 2004, Level = LogLevel.Warning, Message = "The record processor of shard {ShardId} failed while stopping: {Reason}")]
    public static partial void ProcessorShutdownFailed(ILogger logger, string shardId, string reason, Exception exception);

    [LoggerMessage(EventId = 2005, Level = LogLevel.Information, Message = "Created {Count} leases for new shards of stream {Stream}")]
    public static partial void LeasesCreated(ILogger logger, int count, string stream);

    [LoggerMessage(EventId = 2006, Level = LogLevel.Information, Message = "Deleted lease {LeaseKey}: {Why}")]
    public static partial void LeaseDeleted(ILogger logger, string leaseKey, string why);

    [LoggerMessage(EventId = 2007, Level = LogLevel.Warning, Message = "Shard sync of stream {Stream} failed: {Reason}")]
    public static partial void ShardSyncFailed(ILogger logger, string stream, string reason, Exception exception);

    [LoggerMessage(EventId = 2008, Level = LogLevel.Information, Message = "Worker {WorkerId} shut down: {Released} leases released")]
    public static partial void WorkerStopped(ILogger logger, string workerId, int released);

    [LoggerMessage(EventId = 2020, Level = LogLevel.Warning, Message = "Shard {ShardId} of stream {Stream} does not exist (aged out of retention or deleted): {Reason}; its lease is released and deleted once the stream no longer lists it")]
    public static partial void ShardNotFound(ILogger logger, string shardId, string stream, string reason);

    [LoggerMessage(EventId = 2021, Level = LogLevel.Warning, Message = "Lease cleanup of stream {Stream} failed: {Reason}; it runs again at its next interval")]
    public static partial void LeaseCleanupFailed(ILogger logger, string stream, string reason, Exception exception);
}
