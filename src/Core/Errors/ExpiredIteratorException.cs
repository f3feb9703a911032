namespace Kinesis.Clients;

/// <summary>The shard iterator has expired; get a new one.</summary>
public sealed class ExpiredIteratorException : AwsServiceException
{
    /// <summary>Creates the exception from the details of one failed call.</summary>
    public ExpiredIteratorException(AwsErrorDetails details, string message, Exception? innerException = null)
        : base(details, message, innerException)
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public ExpiredIteratorException()
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public ExpiredIteratorException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public ExpiredIteratorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
