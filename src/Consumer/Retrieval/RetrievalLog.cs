using Kinesis.Clients.Consumer.Positions;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Retrieval;

/// <summary>Log events of shard retrieval; ids 2200-2299.</summary>
internal static partial class RetrievalLog
{
    [LoggerMessage(EventId = 2200, Level = LogLevel.Debug, Message = "Reading shard {ShardId} of stream {Stream} from {Position}")]
    public static partial void ReaderStarted(ILogger logger, string stream, string shardId, StartingPosition position);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "The iterator of shard {ShardId} of stream {Stream} expired; reading again from {Position}")]
    public static partial void IteratorExpired(ILogger logger, string stream, string shardId, StartingPosition position);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Debug, Message = "Reading shard {ShardId} of stream {Stream} was throttled ({ErrorCode}); attempt {Attempt}, retrying in {Delay}")]
    public static partial void ReadThrottled(ILogger logger, string stream, string shardId, string? errorCode, int attempt, TimeSpan delay);

    [LoggerMessage(EventId = 2203, Level = LogLevel.Warning, Message = "Reading shard {ShardId} of stream {Stream} failed ({ErrorCode}); attempt {Attempt}, retrying in {Delay}: {Reason}")]
    public static partial void ReadFailed(ILogger logger, string stream, string shardId, string? errorCode, int attempt, TimeSpan delay, string reason);

    [LoggerMessage(EventId = 2204, Level = LogLevel.Information, Message = "Shard {ShardId} of stream {Stream} is read to its end; child shards: {ChildShards}")]
    public static partial void ShardEnded(ILogger logger, string stream, string shardId, string childShards);

    [LoggerMessage(EventId = 2205, Level = LogLevel.Error, Message = "Reading shard {ShardId} of stream {Stream} stopped at {Position}: {Reason}")]
    public static partial void ReaderFailed(ILogger logger, string stream, string shardId, StartingPosition position, string reason, Exception exception);

    [LoggerMessage(EventId = 2206, Level = LogLevel.Warning, Message = "{Count} sub-records read from shard {ShardId} of stream {Stream} have hash keys outside the shard's range; they are delivered anyway")]
    public static partial void OutOfRange(ILogger logger, string stream, string shardId, int count);

    [LoggerMessage(EventId = 2207, Level = LogLevel.Warning, Message = "{Count} records read from shard {ShardId} of stream {Stream} are compressed envelopes that do not open (damaged or of an unknown kind); they are delivered as they are")]
    public static partial void Undecodable(ILogger logger, string stream, string shardId, int count);
}
