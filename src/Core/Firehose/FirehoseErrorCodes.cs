namespace Kinesis.Clients.Firehose;

/// <summary>What Firehose's error codes mean for a caller deciding whether to retry.</summary>
public static class FirehoseErrorCodes
{
    /// <summary>
    /// The code Firehose answers when a delivery stream's Direct PUT quota (bytes, requests or records per second)
    /// is exceeded, whole-call or per PutRecordBatch entry, with the message "Slow down.".
    /// </summary>
    public const string ServiceUnavailable = "ServiceUnavailableException";

    /// <summary>The delivery stream does not exist, or is not active.</summary>
    public const string ResourceNotFound = "ResourceNotFoundException";

    /// <summary>The delivery stream's source is not Direct PUT (a Kinesis stream, say), or it is being created or deleted.</summary>
    public const string ResourceInUse = "ResourceInUseException";

    /// <summary>
    /// Whether <paramref name="errorCode"/> from Firehose means "going too fast": <see cref="ServiceUnavailable"/>
    /// (Firehose's throttling code) or any code <see cref="AwsErrorCodes.IsThrottling"/> knows.
    /// </summary>
    /// <param name="errorCode">The bare error code, or <see langword="null"/>.</param>
    public static bool IsThrottling(string? errorCode) =>
        string.Equals(errorCode, ServiceUnavailable, StringComparison.Ordinal) || AwsErrorCodes.IsThrottling(errorCode, null);
}
