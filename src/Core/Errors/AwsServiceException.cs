using System.Net;

namespace Kinesis.Clients;

/// <summary>
/// A call to an AWS service (Kinesis, CloudWatch) failed: the service answered with an error, or
/// no usable answer arrived (connection reset, time-out, a proxy's non-AWS error page).
/// </summary>
/// <remarks>
/// Catch this type and branch on <see cref="ErrorCode"/>, <see cref="IsRetryable"/> and
/// <see cref="IsThrottling"/>; subtypes exist only for the errors callers handle apart.
/// </remarks>
public class AwsServiceException : Exception
{
    /// <summary>Creates the exception from the details of one failed call.</summary>
    public AwsServiceException(AwsErrorDetails details, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        ArgumentNullException.ThrowIfNull(details);
        Service = details.Service;
        Operation = details.Operation;
        ErrorCode = details.ErrorCode;
        StatusCode = details.StatusCode;
        RequestId = details.RequestId;
        IsRetryable = details.IsRetryable;
        IsThrottling = details.IsThrottling;
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public AwsServiceException()
        : this(AwsErrorDetails.Unknown, "An AWS service call failed.")
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public AwsServiceException(string message)
        : this(AwsErrorDetails.Unknown, message)
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public AwsServiceException(string message, Exception innerException)
        : this(AwsErrorDetails.Unknown, message, innerException)
    {
    }

    /// <summary>The service called, e.g. <c>Kinesis</c>.</summary>
    public string Service { get; }

    /// <summary>The operation called, e.g. <c>PutRecords</c>.</summary>
    public string Operation { get; }

    /// <summary>
    /// The AWS error code (the <c>__type</c> without its namespace), e.g.
    /// <c>ProvisionedThroughputExceededException</c>; <see langword="null"/> when no AWS error body arrived.
    /// </summary>
    public string? ErrorCode { get; }

    /// <summary>The HTTP status, or <see langword="null"/> when no response arrived.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The service's request id (<c>x-amzn-RequestId</c>), when it sent one.</summary>
    public string? RequestId { get; }

    /// <summary>Whether sending the same request again may succeed (throttling, 5xx, network failures).</summary>
    public bool IsRetryable { get; }

    /// <summary>Whether the service rejected the call for exceeding a rate or throughput limit.</summary>
    public bool IsThrottling { get; }
}
