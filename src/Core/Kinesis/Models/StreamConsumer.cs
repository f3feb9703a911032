namespace Kinesis.Clients;

/// <summary>An enhanced fan-out consumer registered on a stream.</summary>
/// <param name="ConsumerName">The name given at registration.</param>
/// <param name="ConsumerArn">The consumer's ARN, used to subscribe to shards.</param>
/// <param name="ConsumerStatus"><c>CREATING</c>, <c>DELETING</c> or <c>ACTIVE</c>.</param>
/// <param name="ConsumerCreationTimestamp">When it was registered.</param>
/// <param name="StreamArn">The stream it reads, when the reply names it.</param>
public sealed record StreamConsumer(
    string ConsumerName,
    string ConsumerArn,
    string ConsumerStatus,
    DateTimeOffset? ConsumerCreationTimestamp,
    string? StreamArn)
{
    /// <summary>Whether the consumer is <c>ACTIVE</c> and can subscribe.</summary>
    public bool IsActive => string.Equals(ConsumerStatus, "ACTIVE", StringComparison.Ordinal);
}
