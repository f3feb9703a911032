namespace Kinesis.Clients.Producer;

/// <summary>
/// The producer's buffer is full and <see cref="KinesisProducerOptions.FailWhenBufferFull"/> is set; the
/// record was not accepted and nothing else is affected.
/// </summary>
public sealed class ProducerBufferFullException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ProducerBufferFullException()
        : base("The producer's buffer is full.")
    {
    }

    /// <summary>Creates the exception.</summary>
    public ProducerBufferFullException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception.</summary>
    public ProducerBufferFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
