using System.Net;

namespace Kinesis.Clients;

/// <summary>Which AWS error codes are throttling and which may succeed when retried.</summary>
internal static class AwsErrorCodes
{
    public const string ProvisionedThroughputExceeded = "ProvisionedThroughputExceededException";
    public const string ResourceNotFound = "ResourceNotFoundException";
    public const string ResourceInUse = "ResourceInUseException";
    public const string ExpiredIterator = "ExpiredIteratorException";
    public const string LimitExceeded = "LimitExceededException";
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

    public static bool IsThrottling(string? errorCode, HttpStatusCode? status) =>
        (errorCode is not null && Throttling.Contains(errorCode)) || status == HttpStatusCode.TooManyRequests;

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
    public static string Normalize(string type)
    {
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
