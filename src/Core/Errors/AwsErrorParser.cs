using System.Net;
using Kinesis.Clients.Http;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients;

/// <summary>
/// Turns an error response into an <see cref="AwsServiceException"/>. Any body is accepted: an AWS
/// JSON or CBOR error, an empty body, or a proxy's HTML page become a clear exception, never a parser crash.
/// </summary>
internal static class AwsErrorParser
{

    public static AwsServiceException FromResponse(
        string service,
        string operation,
        HttpStatusCode status,
        string? requestId,
        string? errorTypeHeader,
        string? contentType,
        ReadOnlyMemory<byte> body,
        string context)
    {
        var (code, message) = TryReadAwsError(contentType, body);
        code ??= string.IsNullOrWhiteSpace(errorTypeHeader) ? null : AwsErrorCodes.Normalize(errorTypeHeader);
        var details = AwsErrorDetails.Classify(service, operation, code, status, requestId);

        var text = AwsErrorMessage.ForResponse(service, operation, status, code, message, body.Span, context, requestId);
        return Create(details, text);
    }

    public static AwsServiceException Create(AwsErrorDetails details, string message, Exception? inner = null) =>
        details.ErrorCode switch
        {
            AwsErrorCodes.ResourceNotFound => new ResourceNotFoundException(details, message, inner),
            AwsErrorCodes.ResourceInUse => new ResourceInUseException(details, message, inner),
            AwsErrorCodes.ExpiredIterator => new ExpiredIteratorException(details, message, inner),
            _ => new AwsServiceException(details, message, inner),
        };

    private static (string? Code, string? Message) TryReadAwsError(string? contentType, ReadOnlyMemory<byte> body)
    {
        if (body.IsEmpty)
        {
            return (null, null);
        }

        WireValue root;
        try
        {
            root = IsCbor(contentType, body.Span) ? CborWireReader.Read(body) : JsonWireReader.Read(body.Span);
        }
        catch (WireFormatException)
        {
            return (null, null);
        }
        catch (FormatException)
        {
            return (null, null);
        }

        if (root.Kind != WireKind.Map)
        {
            return (null, null);
        }

        var type = Text(root["__type"]) ?? Text(root["code"]) ?? Text(root["Code"]);
        var message = Text(root["message"]) ?? Text(root["Message"]) ?? Text(root["errorMessage"]);
        return (type is null ? null : AwsErrorCodes.Normalize(type), message);
    }

    private static string? Text(WireValue value) => value.Kind == WireKind.Text ? value.Text : null;

    private static bool IsCbor(string? contentType, ReadOnlySpan<byte> body)
    {
        if (contentType is not null && contentType.Contains("cbor", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        // A CBOR map starts with major type 5 (0xA0-0xBF); JSON, HTML and text never start with those bytes.
        return body.Length > 0 && (body[0] & 0xE0) == 0xA0;
    }
}
