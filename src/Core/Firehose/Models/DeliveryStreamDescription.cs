namespace Kinesis.Clients.Firehose;

/// <summary>What DescribeDeliveryStream says of a delivery stream (the parts a producer needs).</summary>
/// <param name="DeliveryStreamName">The name.</param>
/// <param name="DeliveryStreamArn">The ARN.</param>
/// <param name="DeliveryStreamStatus"><c>CREATING</c>, <c>ACTIVE</c>, <c>DELETING</c>, <c>CREATING_FAILED</c> or <c>DELETING_FAILED</c>.</param>
/// <param name="DeliveryStreamType"><c>DirectPut</c>, <c>KinesisStreamAsSource</c> or <c>MSKAsSource</c>, when reported.</param>
/// <param name="VersionId">The configuration's version.</param>
/// <param name="CreateTimestamp">When it was created, when reported.</param>
public sealed record DeliveryStreamDescription(
    string DeliveryStreamName,
    string DeliveryStreamArn,
    string DeliveryStreamStatus,
    string? DeliveryStreamType,
    string? VersionId,
    DateTimeOffset? CreateTimestamp)
{
    /// <summary>Whether the delivery stream is <c>ACTIVE</c>.</summary>
    public bool IsActive => string.Equals(DeliveryStreamStatus, "ACTIVE", StringComparison.Ordinal);

    /// <summary>Whether records can be put to it directly (<c>DirectPut</c>; assumed when the type is not reported).</summary>
    public bool IsDirectPut => DeliveryStreamType is null || string.Equals(DeliveryStreamType, "DirectPut", StringComparison.Ordinal);
}
