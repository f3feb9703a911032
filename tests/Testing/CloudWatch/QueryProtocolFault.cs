using System.Net;
using System.Security;

namespace Kinesis.Clients.Testing;

/// <summary>An error answer in the AWS query protocol: status, <c>Type</c>, <c>Code</c> and <c>Message</c>.</summary>
/// <param name="Status">The HTTP status.</param>
/// <param name="Code">The error code, e.g. <c>InvalidParameterValue</c>.</param>
/// <param name="Message">The service's message.</param>
internal sealed record QueryProtocolFault(HttpStatusCode Status, string Code, string Message)
{
    public const string Namespace = "http://monitoring.amazonaws.com/doc/2010-08-01/";

    public static QueryProtocolFault InvalidParameterValue(string message) => new(HttpStatusCode.BadRequest, "InvalidParameterValue", message);

    public static QueryProtocolFault MissingParameter(string parameter) =>
        new(HttpStatusCode.BadRequest, "MissingParameter", $"The parameter {parameter} is required.");

    public static QueryProtocolFault InvalidValue(string parameter, string value) =>
        InvalidParameterValue($"The value {value} for parameter {parameter} is invalid.");

    public static QueryProtocolFault TooMany(string collection, int limit) =>
        InvalidParameterValue($"The collection {collection} must not have a size greater than {limit}.");

    /// <summary>The <c>Sender</c> or <c>Receiver</c> fault type: 5xx are the service's own.</summary>
    public string Type => (int)Status >= 500 ? "Receiver" : "Sender";

    /// <summary>The error document the service sends.</summary>
    /// <param name="requestId">The request id to put in it.</param>
    /// <param name="xmlNamespace">The service's API namespace; CloudWatch's by default.</param>
    public string ToXml(string requestId, string xmlNamespace = Namespace) =>
        $"<ErrorResponse xmlns=\"{xmlNamespace}\">\n" +
        $"  <Error>\n    <Type>{Type}</Type>\n    <Code>{SecurityElement.Escape(Code)}</Code>\n" +
        $"    <Message>{SecurityElement.Escape(Message)}</Message>\n  </Error>\n" +
        $"  <RequestId>{requestId}</RequestId>\n</ErrorResponse>\n";

    /// <summary>The success document of PutMetricData.</summary>
    public static string SuccessXml(string requestId) =>
        $"<PutMetricDataResponse xmlns=\"{Namespace}\">\n" +
        $"  <ResponseMetadata>\n    <RequestId>{requestId}</RequestId>\n  </ResponseMetadata>\n</PutMetricDataResponse>\n";
}
