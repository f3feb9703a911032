namespace Kinesis.Clients;

/// <summary>The stream, shard or consumer named in the call does not exist.</summary>
public sealed class ResourceNotFoundException : AwsServiceException
{
    /// <summary>Creates the exception from the details of one failed call.</summary>
    public ResourceNotFoundException(AwsErrorDetails details, string message, Exception? innerException = null)
        : base(details, message, innerException)
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public ResourceNotFoundException()
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public ResourceNotFoundException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public ResourceNotFoundException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
