namespace Kinesis.Clients.Testing;

/// <summary>A reply from the backend, read whole.</summary>
/// <param name="StatusCode">The HTTP status.</param>
/// <param name="ContentType">The Content-Type, if any.</param>
/// <param name="Headers">The headers worth passing on (request id, error type).</param>
/// <param name="Body">The body.</param>
internal sealed record BackendReply(int StatusCode, string? ContentType, IReadOnlyList<(string Name, string Value)> Headers, byte[] Body)
{
    public bool IsSuccess => StatusCode is >= 200 and < 300;

    public string? RequestId =>
        Headers.FirstOrDefault(h => h.Name.Equals("x-amzn-RequestId", StringComparison.OrdinalIgnoreCase)).Value;
}
