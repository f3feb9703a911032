using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>Record processor failures: ids 2050-2069.</summary>
internal static partial class ConsumerLog
{
    [LoggerMessage(EventId = 2050, Level = LogLevel.Warning, Message = "The record processor of shard {ShardId} failed on {Count} records {First} to {Last} (attempt {Attempt}): {ErrorType}: {Reason}; retrying in {Delay}")]
    public static partial void ProcessingRetry(ILogger logger, string shardId, int count, string first, string last, int attempt, string errorType, string reason, TimeSpan delay, Exception exception);

    [LoggerMessage(EventId = 2051, Level = LogLevel.Error, Message = "Shard {ShardId} is stalled: the record processor failed {Attempt} times on {Count} records {First} to {Last}: {ErrorType}: {Reason}; the worker keeps the lease and retries them at most every {MaxDelay}")]
    public static partial void ShardStalled(ILogger logger, string shardId, int attempt, int count, string first, string last, string errorType, string reason, TimeSpan maxDelay, Exception exception);

    [LoggerMessage(EventId = 2052, Level = LogLevel.Information, Message = "Shard {ShardId} is moving again: records {First} to {Last} were dealt with after {Attempts} attempts")]
    public static partial void ShardRecovered(ILogger logger, string shardId, string first, string last, int attempts);

    [LoggerMessage(EventId = 2053, Level = LogLevel.Error, Message = "Skipped {Count} records {First} to {Last} of shard {ShardId} after {Attempts} attempts ({ErrorType}: {Reason}); handed to OnBatchSkipped")]
    public static partial void RecordsSkipped(ILogger logger, int count, string first, string last, string shardId, int attempts, string errorType, string reason);

    [LoggerMessage(EventId = 2054, Level = LogLevel.Error, Message = "Wrote {Count} records {First} to {Last} of shard {ShardId} to dead-letter stream {DeadLetterStream} after {Attempts} attempts ({ErrorType}: {Reason})")]
    public static partial void RecordsDeadLettered(ILogger logger, int count, string first, string last, string shardId, string deadLetterStream, int attempts, string errorType, string reason);

    [LoggerMessage(EventId = 2055, Level = LogLevel.Error, Message = "Could not hand off {Count} records {First} to {Last} of shard {ShardId}: {Reason}; the shard is stalled and retries them at most every {MaxDelay}")]
    public static partial void HandOffFailed(ILogger logger, int count, string first, string last, string shardId, string reason, TimeSpan maxDelay, Exception exception);

    [LoggerMessage(EventId = 2056, Level = LogLevel.Information, Message = "Bisecting {Count} records {First} to {Last} of shard {ShardId} after {Attempts} failed attempts")]
    public static partial void BatchBisected(ILogger logger, int count, string first, string last, string shardId, int attempts);

    [LoggerMessage(EventId = 2057, Level = LogLevel.Warning, Message = "The checkpoint after the handed-off records of shard {ShardId} failed: {Reason}; the processor's next checkpoint passes them")]
    public static partial void HandOffCheckpointFailed(ILogger logger, string shardId, string reason, Exception exception);

    [LoggerMessage(EventId = 2058, Level = LogLevel.Debug, Message = "Shard {ShardId} still stalled after {Attempts} attempts: {ErrorType}: {Reason}")]
    public static partial void StillStalled(ILogger logger, string shardId, int attempts, string errorType, string reason);
}
