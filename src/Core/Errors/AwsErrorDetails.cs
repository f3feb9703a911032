using System.Net;

namespace Kinesis.Clients;

/// <summary>What is known about one failed AWS call.</summary>
/// <param name="Service">The service called, e.g. <c>Kinesis</c>.</param>
/// <param name="Operation">The operation called, e.g. <c>PutRecords</c>.</param>
/// <param name="ErrorCode">The AWS error code, or <see langword="null"/> when no AWS error body arrived.</param>
/// <param name="StatusCode">The HTTP status, or <see langword="null"/> when no response arrived.</param>
/// <param name="RequestId">The service's request id, when sent.</param>
/// <param name="IsRetryable">Whether the same call may succeed when sent again.</param>
/// <param name="IsThrottling">Whether a rate or throughput limit rejected the call.</param>
public sealed record AwsErrorDetails(
    string Service,
    string Operation,
    string? ErrorCode,
    HttpStatusCode? StatusCode,
    string? RequestId,
    bool IsRetryable,
    bool IsThrottling)
{
    internal static readonly AwsErrorDetails Unknown = new("unknown", "unknown", null, null, null, false, false);

    /// <summary>The details of an error the service answered with, classified by <see cref="AwsErrorCodes"/>.</summary>
    internal static AwsErrorDetails Classify(string service, string operation, string? code, HttpStatusCode? status, string? requestId) =>
        new(service, operation, code, status, requestId, AwsErrorCodes.IsRetryable(code, status), ClassifyThrottling(service, code, status));

    // Firehose says "Slow down." with ServiceUnavailableException when a delivery stream's quota is exceeded.
    private static bool ClassifyThrottling(string service, string? code, HttpStatusCode? status) =>
        AwsErrorCodes.IsThrottling(code, status)
        || (service == Firehose.FirehoseClient.ServiceName && Firehose.FirehoseErrorCodes.IsThrottling(code));
}
