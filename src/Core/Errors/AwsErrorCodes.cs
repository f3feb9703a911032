using System.Net;

namespace Kinesis.Clients;

/// <summary>
/// Which AWS error codes are throttling and which may succeed when retried: the rules behind
/// <see cref="AwsServiceException.IsThrottling"/> and <see cref="AwsServiceException.IsRetryable"/>, also for codes
/// that arrive without an exception, such as the per-entry <c>ErrorCode</c> of a PutRecords reply.
/// </summary>
public static class AwsErrorCodes
{
    /// <summary>A shard's (or a stream's) read or write throughput was exceeded.</summary>
    public const string ProvisionedThroughputExceeded = "ProvisionedThroughputExceededException";

    /// <summary>The stream, shard or consumer does not exist (or not yet).</summary>
    public const string ResourceNotFound = "ResourceNotFoundException";

    /// <summary>The resource is busy: being created, updated or deleted, or subscribed to within the last 5 seconds.</summary>
    public const string ResourceInUse = "ResourceInUseException";

    /// <summary>A shard iterator older than 5 minutes was used.</summary>
    public const string ExpiredIterator = "ExpiredIteratorException";

    /// <summary>A control-plane call rate or an account limit was exceeded.</summary>
    public const string LimitExceeded = "LimitExceededException";

    /// <summary>The service failed internally; the call may succeed when retried.</summary>
    public const string InternalFailure = "InternalFailure";

    private static readonly HashSet<string> Throttling = new(StringComparer.Ordinal)
    {
        ProvisionedThroughputExceeded,
        // Kinesis answers control-plane calls over their rate (e.g. ListShards, DescribeStreamSummary) with this.
        LimitExceeded,
        "ThrottlingException",
        "Throttling",
        "ThrottledException",
        "RequestThrottledException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "KMSThrottlingException",
        "SlowDown",
    };

    private static readonly HashSet<string> TransientNonThrottling = new(StringComparer.Ordinal)
    {
        InternalFailure,
        "InternalFailureException",
        "InternalServerError",
        "ServiceUnavailable",
        "ServiceUnavailableException",
        "RequestTimeout",
        "RequestTimeoutException",
        "KMSInternalException",
    };

    /// <summary>Whether <paramref name="errorCode"/> (or an HTTP 429) means the caller is going too fast.</summary>
    /// <param name="errorCode">The bare error code (see <see cref="Normalize"/>), or <see langword="null"/>.</param>
    /// <param name="status">The HTTP status, or <see langword="null"/> when no response arrived.</param>
    public static bool IsThrottling(string? errorCode, HttpStatusCode? status) =>
        (errorCode is not null && Throttling.Contains(errorCode)) || status == HttpStatusCode.TooManyRequests;

    /// <summary>
    /// Whether the same call may succeed when sent again: throttling, transient service errors, any 5xx, and no
    /// response at all (<paramref name="status"/> <see langword="null"/>).
    /// </summary>
    /// <param name="errorCode">The bare error code (see <see cref="Normalize"/>), or <see langword="null"/>.</param>
    /// <param name="status">The HTTP status, or <see langword="null"/> when no response arrived.</param>
    public static bool IsRetryable(string? errorCode, HttpStatusCode? status)
    {
        if (IsThrottling(errorCode, status))
        {
            return true;
        }

        if (errorCode is not null && TransientNonThrottling.Contains(errorCode))
        {
            return true;
        }

        // No status means no response arrived (reset, time-out): the request may not have been seen.
        return status is null || (int)status >= 500;
    }

    /// <summary>
    /// Normalises a <c>__type</c> such as <c>com.amazonaws.kinesis.v20131202#ResourceNotFoundException</c>
    /// or <c>ResourceNotFoundException:http://internal.amazon.com/</c> to its bare code.
    /// </summary>
    /// <param name="type">The <c>__type</c>, <c>x-amzn-ErrorType</c> header or <c>:exception-type</c> as received.</param>
    public static string Normalize(string type)
    {
        ArgumentNullException.ThrowIfNull(type);
        var code = type;
        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        return code.Trim();
    }
}
