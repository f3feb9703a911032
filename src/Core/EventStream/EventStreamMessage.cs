namespace Kinesis.Clients.EventStream;

/// <summary>One decoded <c>application/vnd.amazon.eventstream</c> message whose checksums were verified.</summary>
/// <remarks>
/// Header values and the payload are slices of one array owned by the message alone, so they stay valid for as
/// long as anything holds them (record data decoded from a CBOR payload points into it without a copy).
/// </remarks>
internal sealed class EventStreamMessage
{
    /// <summary>Creates a message from its parts.</summary>
    public EventStreamMessage(IReadOnlyList<EventStreamHeader> headers, ReadOnlyMemory<byte> payload)
    {
        Headers = headers;
        Payload = payload;
    }

    /// <summary>The headers in wire order.</summary>
    public IReadOnlyList<EventStreamHeader> Headers { get; }

    /// <summary>The payload bytes.</summary>
    public ReadOnlyMemory<byte> Payload { get; }

    /// <summary>The first header called <paramref name="name"/>, or <see langword="null"/>.</summary>
    public EventStreamHeader? Find(string name)
    {
        foreach (var header in Headers)
        {
            if (string.Equals(header.Name, name, StringComparison.Ordinal))
            {
                return header;
            }
        }

        return null;
    }

    /// <summary>The text of the string header <paramref name="name"/>, or <see langword="null"/> when absent or not a string.</summary>
    public string? GetString(string name) =>
        Find(name) is { Type: EventStreamHeaderType.String } header ? header.AsString() : null;
}
