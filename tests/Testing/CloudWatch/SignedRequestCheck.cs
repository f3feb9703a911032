using System.Net;
using Microsoft.AspNetCore.Http;

namespace Kinesis.Clients.Testing;

/// <summary>
/// The checks a query-protocol service (CloudWatch, STS) makes of a request before reading its parameters: POST to
/// <c>/</c>, an <c>AWS4-HMAC-SHA256</c> signature scoped to the service, a form body within the size limit.
/// </summary>
internal static class SignedRequestCheck
{
    /// <returns>The signature's scope, or the refusal the service would answer.</returns>
    public static (SigV4Scope? Scope, QueryProtocolFault? Refusal) Check(HttpRequest request, int bodyLength, int maxBodyBytes, string service = "monitoring")
    {
        if (!HttpMethods.IsPost(request.Method) || request.Path != "/")
        {
            return (null, new(HttpStatusCode.BadRequest, "InvalidAction", $"{request.Method} {request.Path} is not a query-protocol call (POST /)."));
        }

        var authorization = request.Headers.Authorization.ToString();
        if (authorization.Length == 0)
        {
            return (null, new(HttpStatusCode.Forbidden, "MissingAuthenticationToken", "Request is missing Authentication Token"));
        }

        var scope = SigV4Scope.TryParse(authorization);
        if (scope is null || request.Headers["X-Amz-Date"].Count == 0)
        {
            return (null, new(HttpStatusCode.Forbidden, "IncompleteSignature",
                $"Authorization header requires an AWS4-HMAC-SHA256 Credential scope and X-Amz-Date; got '{authorization}'."));
        }

        if (scope.Value.Service != service)
        {
            return (null, new(HttpStatusCode.Forbidden, "SignatureDoesNotMatch",
                $"Credential should be scoped to correct service: '{service}'. Got '{scope.Value.Service}'."));
        }

        if (request.ContentType is not { } contentType || !contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            return (null, QueryProtocolFault.InvalidParameterValue($"Content-Type must be application/x-www-form-urlencoded; got '{request.ContentType}'."));
        }

        if (bodyLength > maxBodyBytes)
        {
            return (null, new(HttpStatusCode.RequestEntityTooLarge, "RequestEntityTooLarge", $"Request size {bodyLength} exceeded {maxBodyBytes} bytes"));
        }

        return (scope, null);
    }

    public static async Task<byte[]> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer).ConfigureAwait(false);
        return buffer.ToArray();
    }
}
