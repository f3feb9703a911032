using System.Net;
using System.Xml;
using Kinesis.Clients.Http;

namespace Kinesis.Clients;

/// <summary>
/// Turns an error response of an AWS query-protocol service (CloudWatch) into an <see cref="AwsServiceException"/>.
/// The service answers <c>&lt;ErrorResponse&gt;&lt;Error&gt;&lt;Type&gt;Sender&lt;/Type&gt;&lt;Code&gt;Throttling&lt;/Code&gt;
/// &lt;Message&gt;...&lt;/Message&gt;&lt;/Error&gt;&lt;RequestId&gt;...&lt;/RequestId&gt;&lt;/ErrorResponse&gt;</c>; any other
/// body (a proxy's HTML page, an empty 500, broken XML) becomes the same exception with the status and a short
/// snippet, never a parser crash.
/// </summary>
internal static class AwsQueryErrorParser
{

    // Error bodies are small; anything longer is not an AWS error document and is only quoted.
    private const int MaxXmlLength = 64 * 1024;

    private static readonly XmlReaderSettings ReaderSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        MaxCharactersInDocument = MaxXmlLength,
    };

    public static AwsServiceException FromResponse(
        string service,
        string operation,
        HttpStatusCode status,
        string? requestIdHeader,
        ReadOnlyMemory<byte> body,
        string context)
    {
        var error = TryRead(body.Span);
        var code = error?.Code;
        var requestId = requestIdHeader ?? error?.RequestId;
        var details = AwsErrorDetails.Classify(service, operation, code, status, requestId);

        var text = AwsErrorMessage.ForResponse(service, operation, status, code, error?.Message, body.Span, context, requestId);
        return AwsErrorParser.Create(details, text);
    }

    /// <summary>
    /// Reads the first <c>Error</c> element's <c>Code</c>, <c>Message</c> and <c>Type</c>, and the <c>RequestId</c>
    /// (or EC2-style <c>RequestID</c>); <see langword="null"/> when the body is not XML or carries no error code.
    /// </summary>
    public static QueryError? TryRead(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty || body.Length > MaxXmlLength)
        {
            return null;
        }

        string? code = null, message = null, type = null, requestId = null;
        var inError = false;
        var errorDone = false;
        try
        {
            using var stream = new MemoryStream(body.ToArray(), writable: false);
            using var reader = XmlReader.Create(stream, ReaderSettings);
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.EndElement && inError && reader.LocalName == "Error")
                {
                    inError = false;
                    errorDone = true;
                }
                else if (reader.NodeType == XmlNodeType.Element)
                {
                    // ReadText moves past the element it reads, so those cases skip the Read below.
                    switch (reader.LocalName)
                    {
                        case "Error" when !errorDone && !reader.IsEmptyElement:
                            inError = true;
                            break;
                        case "Code" when inError:
                            Keep(ref code, ReadText(reader));
                            continue;
                        case "Message" when inError:
                            Keep(ref message, ReadText(reader));
                            continue;
                        case "Type" when inError:
                            Keep(ref type, ReadText(reader));
                            continue;
                        case "RequestId" or "RequestID":
                            Keep(ref requestId, ReadText(reader));
                            continue;
                    }
                }

                reader.Read();
            }
        }
        catch (XmlException)
        {
            // HTML and other text is seldom well-formed XML; what was read before the fault still counts only if it
            // already named an error code.
        }

        return string.IsNullOrWhiteSpace(code) ? null : new QueryError(code.Trim(), message?.Trim(), type?.Trim(), requestId?.Trim());
    }

    private static void Keep(ref string? slot, string? value) => slot ??= value;

    private static string? ReadText(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return null;
        }

        return reader.ReadElementContentAsString();
    }

    /// <summary>What a query-protocol error document says.</summary>
    /// <param name="Code">The error code, e.g. <c>Throttling</c>.</param>
    /// <param name="Message">The service's message.</param>
    /// <param name="Type"><c>Sender</c> or <c>Receiver</c>.</param>
    /// <param name="RequestId">The request id in the body.</param>
    internal sealed record QueryError(string Code, string? Message, string? Type, string? RequestId);
}
