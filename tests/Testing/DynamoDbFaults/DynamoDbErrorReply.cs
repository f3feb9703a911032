using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>DynamoDB's JSON 1.0 error replies, as the service words them.</summary>
internal static class DynamoDbErrorReply
{
    public const string ContentType = "application/x-amz-json-1.0";

    public static (int Status, string Type, string Message) For(DynamoDbFaultKind kind) => kind switch
    {
        DynamoDbFaultKind.ProvisionedThroughputExceeded => (
            400,
            "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
            "The level of configured provisioned throughput for the table was exceeded. Consider increasing your provisioning level with the UpdateTable API."),
        DynamoDbFaultKind.Throttling => (400, "com.amazon.coral.availability#ThrottlingException", "Rate of requests exceeds the allowed throughput."),
        _ => (500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "Internal server error"),
    };

    public static async Task WriteAsync(HttpContext context, DynamoDbFaultKind kind)
    {
        var (status, type, message) = For(kind);
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["__type"] = type, ["message"] = message });
        var response = context.Response;
        response.StatusCode = status;
        response.ContentType = ContentType;
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString("N").ToUpperInvariant();
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }
}
