using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>Enhanced fan-out's log events; ids 2400-2449.</summary>
internal static partial class FanOutLog
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Debug, Message = "Subscribed to shard {ShardId} as consumer {ConsumerArn} at {Position} (subscription {Subscription})")]
    public static partial void Subscribed(ILogger logger, string shardId, string consumerArn, SubscribePosition position, int subscription);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Debug, Message = "Subscription {Subscription} to shard {ShardId} ended after {Events} events; resubscribing at {Position}")]
    public static partial void SubscriptionEnded(ILogger logger, int subscription, string shardId, int events, SubscribePosition position);

    [LoggerMessage(EventId = 2402, Level = LogLevel.Information, Message = "Subscription {Subscription} to shard {ShardId} broke off after {Events} events ({Reason}); resubscribing at {Position}")]
    public static partial void SubscriptionBroken(ILogger logger, int subscription, string shardId, int events, string reason, SubscribePosition position);

    [LoggerMessage(EventId = 2403, Level = LogLevel.Warning, Message = "Subscribing to shard {ShardId} at {Position} failed (attempt {Attempt}): {Reason}; retrying in {Delay}")]
    public static partial void SubscribeRetrying(ILogger logger, string shardId, SubscribePosition position, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 2404, Level = LogLevel.Information, Message = "Shard {ShardId} ended after {Subscriptions} subscriptions; child shards: {ChildShards}")]
    public static partial void ShardEnded(ILogger logger, string shardId, int subscriptions, string childShards);

    [LoggerMessage(EventId = 2405, Level = LogLevel.Error, Message = "Reading shard {ShardId} through consumer {ConsumerArn} stopped: {Reason}")]
    public static partial void ReaderFailed(ILogger logger, string shardId, string consumerArn, string reason, Exception exception);

    [LoggerMessage(EventId = 2410, Level = LogLevel.Information, Message = "Registering enhanced fan-out consumer {ConsumerName} on stream {StreamArn}")]
    public static partial void Registering(ILogger logger, string consumerName, string streamArn);

    [LoggerMessage(EventId = 2411, Level = LogLevel.Debug, Message = "Consumer {ConsumerName} on stream {StreamArn} is {Status}; waiting for ACTIVE")]
    public static partial void WaitingForActive(ILogger logger, string consumerName, string streamArn, string status);

    [LoggerMessage(EventId = 2412, Level = LogLevel.Warning, Message = "Looking up consumer {ConsumerName} on stream {StreamArn} failed ({Reason}); trying again")]
    public static partial void RegistrationCallFailed(ILogger logger, string consumerName, string streamArn, string reason);

    [LoggerMessage(EventId = 2413, Level = LogLevel.Information, Message = "Consumer {ConsumerName} on stream {StreamArn} is ACTIVE: {ConsumerArn}")]
    public static partial void ConsumerActive(ILogger logger, string consumerName, string streamArn, string consumerArn);
}
