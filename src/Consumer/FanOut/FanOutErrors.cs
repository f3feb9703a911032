namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>The reader's own SubscribeToShard failures (a silent or empty subscription), and which errors a new subscription gets past.</summary>
internal static class FanOutErrors
{
    private const string Service = "Kinesis";
    private const string Operation = "SubscribeToShard";

    /// <summary>A subscription that went silent or ended before its first event: it may succeed when opened again.</summary>
    public static AwsServiceException Transport(string what, string context, Exception? inner = null)
    {
        var details = new AwsErrorDetails(Service, Operation, null, null, null, IsRetryable: true, IsThrottling: false);
        return new AwsServiceException(details, $"{Service} {Operation} {what} ({context})", inner);
    }

    /// <summary>
    /// Whether a new subscription may get past <paramref name="exception"/>: transient and throttling errors, and
    /// <see cref="ResourceInUseException"/> (subscribed again too soon, or another reader took the shard over).
    /// </summary>
    public static bool IsRecoverable(AwsServiceException exception) =>
        exception.IsRetryable || exception is ResourceInUseException;
}
