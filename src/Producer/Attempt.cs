namespace Kinesis.Clients.Producer;

/// <summary>One attempt to send a record.</summary>
/// <param name="Delay">How long the record waited before this attempt: buffering for the first, backoff for retries.</param>
/// <param name="Duration">How long the request took.</param>
/// <param name="ErrorCode">Why it failed (e.g. <c>ProvisionedThroughputExceededException</c>); <see langword="null"/> on success.</param>
/// <param name="ErrorMessage">The service's or transport's explanation of the failure.</param>
public sealed record Attempt(TimeSpan Delay, TimeSpan Duration, string? ErrorCode, string? ErrorMessage)
{
    /// <summary>Whether this attempt stored the record.</summary>
    public bool Succeeded => ErrorCode is null;
}
