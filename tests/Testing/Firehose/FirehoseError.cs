using System.Net;
using System.Text.Json;

namespace Kinesis.Clients.Testing;

/// <summary>An error reply of <see cref="LoopbackFirehose"/>: status, <c>__type</c> and message, as the service sends them.</summary>
internal readonly record struct FirehoseError(HttpStatusCode Status, string Code, string Message);

/// <summary>How <see cref="LoopbackFirehose"/> writes its JSON replies.</summary>
internal static class FirehoseJson
{
    public static JsonSerializerOptions Options { get; } = new();
}
