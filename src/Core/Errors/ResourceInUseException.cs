namespace Kinesis.Clients;

/// <summary>The resource is not in a state that allows the call (for example a stream still being created, or one that already exists).</summary>
public sealed class ResourceInUseException : AwsServiceException
{
    /// <summary>Creates the exception from the details of one failed call.</summary>
    public ResourceInUseException(AwsErrorDetails details, string message, Exception? innerException = null)
        : base(details, message, innerException)
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public ResourceInUseException()
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public ResourceInUseException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public ResourceInUseException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
