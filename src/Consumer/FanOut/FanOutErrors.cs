using System.Net;

namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>Builds the <see cref="AwsServiceException"/>s of SubscribeToShard failures that are not service errors.</summary>
internal static class FanOutErrors
{
    /// <summary>No usable answer, a reset, a silence, a corrupt frame: the subscription may succeed when opened again.</summary>
    public static AwsServiceException Transport(string what, string context, Exception? inner = null)
    {
        var details = new AwsErrorDetails(
            KinesisClient.ServiceName, SubscribeToShardClient.Operation, null, null, null, IsRetryable: true, IsThrottling: false);
        return new AwsServiceException(details, $"{KinesisClient.ServiceName} {SubscribeToShardClient.Operation} {what} ({context})", inner);
    }

    /// <summary>An exception or error event sent inside the event stream.</summary>
    public static AwsServiceException FromEvent(string code, string? message, HttpStatusCode status, string? requestId, string context)
    {
        var details = new AwsErrorDetails(
            KinesisClient.ServiceName,
            SubscribeToShardClient.Operation,
            code,
            status,
            requestId,
            AwsErrorCodes.IsRetryable(code, status),
            AwsErrorCodes.IsThrottling(code, status));
        var text = $"{KinesisClient.ServiceName} {SubscribeToShardClient.Operation} stream sent {code}" +
            (string.IsNullOrEmpty(message) ? string.Empty : ": " + message) +
            $" ({context})" + (requestId is null ? string.Empty : $" [request id {requestId}]");
        return AwsErrorParser.Create(details, text);
    }

    /// <summary>
    /// Whether a new subscription may get past <paramref name="exception"/>: transient and throttling errors, and
    /// <see cref="ResourceInUseException"/> (subscribed again too soon, or another reader took the shard over).
    /// </summary>
    public static bool IsRecoverable(AwsServiceException exception) =>
        exception.IsRetryable || exception is ResourceInUseException;
}
