using System.Net;
using System.Text;
using Kinesis.Clients.Http;

namespace Kinesis.Clients;

/// <summary>
/// The one way an AWS error reads in this suite, whatever the protocol (JSON, CBOR, query XML, an event-stream
/// exception): <c>{service} {operation} {what}, {code}: {message} ({context}) [request id {id}]</c>, so every
/// failure can be diagnosed from one log line.
/// </summary>
internal static class AwsErrorMessage
{
    /// <summary>A refused call: <c>failed: HTTP 400 BadRequest</c>, then the error code and message, or a snippet of a body that was no AWS error.</summary>
    public static string ForResponse(
        string service,
        string operation,
        HttpStatusCode status,
        string? code,
        string? message,
        ReadOnlySpan<byte> body,
        string? context,
        string? requestId)
    {
        var text = new StringBuilder()
            .Append(service).Append(' ').Append(operation).Append(" failed: HTTP ")
            .Append((int)status).Append(' ').Append(status);
        if (code is not null)
        {
            AppendCode(text.Append(", "), code, message);
        }
        else
        {
            text.Append(body.IsEmpty ? " with an empty body" : $" with a non-AWS body: \"{TransportFailures.Snippet(body)}\"");
        }

        return AppendWhere(text, context, requestId);
    }

    /// <summary>An error the service sent inside an open response (an event-stream exception): <c>{what} {code}: {message}</c>.</summary>
    public static string ForEvent(string service, string operation, string what, string code, string? message, string? context, string? requestId)
    {
        var text = new StringBuilder().Append(service).Append(' ').Append(operation).Append(' ').Append(what).Append(' ');
        return AppendWhere(AppendCode(text, code, message), context, requestId);
    }

    private static StringBuilder AppendCode(StringBuilder text, string code, string? message)
    {
        text.Append(code);
        if (!string.IsNullOrEmpty(message))
        {
            text.Append(": ").Append(message);
        }

        return text;
    }

    private static string AppendWhere(StringBuilder text, string? context, string? requestId)
    {
        if (!string.IsNullOrEmpty(context))
        {
            text.Append(" (").Append(context).Append(')');
        }

        if (requestId is not null)
        {
            text.Append(" [request id ").Append(requestId).Append(']');
        }

        return text.ToString();
    }
}
