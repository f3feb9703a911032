namespace Kinesis.Clients;

/// <summary>
/// The request was not sent because its AWS credentials could not be obtained (STS refused or was unreachable,
/// an SSO token expired, the web identity token file is missing, ...). Retryable: it may work once the cause is
/// fixed, and the message says what to fix.
/// </summary>
/// <remarks>
/// Its <see cref="AwsServiceException.ErrorCode"/> is <see cref="Code"/>; the message is the same for every request
/// that fails for the same cause, so a caller can report each cause once.
/// </remarks>
public sealed class AwsCredentialsException : AwsServiceException
{
    /// <summary>The <see cref="AwsServiceException.ErrorCode"/> of every credentials failure.</summary>
    public const string Code = "CredentialsUnavailable";

    /// <summary>Creates the exception from the details of one failed call.</summary>
    public AwsCredentialsException(AwsErrorDetails details, string message, Exception? innerException = null)
        : base(details, message, innerException)
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public AwsCredentialsException()
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public AwsCredentialsException(string message)
        : base(message)
    {
    }

    /// <summary>Creates an exception with only a message; prefer the details constructor.</summary>
    public AwsCredentialsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
