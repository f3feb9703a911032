namespace Kinesis.Clients.EventStream;

/// <summary>
/// The bytes are not a valid <c>application/vnd.amazon.eventstream</c> message: a checksum does not match, a
/// length is impossible, a header is malformed, or the stream ended inside a message.
/// </summary>
internal sealed class EventStreamFormatException : Exception
{
    public EventStreamFormatException(string message)
        : base(message)
    {
    }

    public EventStreamFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public EventStreamFormatException()
    {
    }
}
