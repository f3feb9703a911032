namespace Kinesis.Clients.Wire;

/// <summary>A response body that does not have the shape the operation defines.</summary>
internal sealed class WireFormatException : Exception
{
    public WireFormatException(string message)
        : base(message)
    {
    }

    public WireFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public WireFormatException()
    {
    }
}
