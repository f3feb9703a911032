namespace Kinesis.Clients;

/// <summary>What DescribeStreamSummary says of a stream.</summary>
/// <param name="StreamName">The stream name.</param>
/// <param name="StreamArn">The stream ARN.</param>
/// <param name="StreamStatus"><c>CREATING</c>, <c>DELETING</c>, <c>ACTIVE</c> or <c>UPDATING</c>.</param>
/// <param name="StreamMode"><c>PROVISIONED</c> or <c>ON_DEMAND</c>, when reported.</param>
/// <param name="RetentionPeriodHours">How long records are kept.</param>
/// <param name="StreamCreationTimestamp">When the stream was created.</param>
/// <param name="OpenShardCount">How many shards are open.</param>
/// <param name="ConsumerCount">Registered enhanced fan-out consumers, when reported.</param>
/// <param name="EncryptionType"><c>NONE</c> or <c>KMS</c>, when reported.</param>
public sealed record StreamSummary(
    string StreamName,
    string StreamArn,
    string StreamStatus,
    string? StreamMode,
    int RetentionPeriodHours,
    DateTimeOffset? StreamCreationTimestamp,
    int OpenShardCount,
    int? ConsumerCount,
    string? EncryptionType)
{
    /// <summary>Whether the stream is <c>ACTIVE</c>.</summary>
    public bool IsActive => string.Equals(StreamStatus, "ACTIVE", StringComparison.Ordinal);
}
