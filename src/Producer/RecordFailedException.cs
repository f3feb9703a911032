namespace Kinesis.Clients.Producer;

/// <summary>Thrown by <see cref="KinesisProducer.PutAsync"/> when a record could not be put.</summary>
public sealed class RecordFailedException : Exception
{
    /// <summary>Creates the exception for one failed record.</summary>
    public RecordFailedException(RecordFailure failure)
        : base(Describe(failure))
    {
        Failure = failure;
    }

    /// <summary>Creates an exception without a record; prefer the failure constructor.</summary>
    public RecordFailedException()
        : this("A record could not be put.")
    {
    }

    /// <summary>Creates an exception without a record; prefer the failure constructor.</summary>
    public RecordFailedException(string message)
        : base(message)
    {
        Failure = new RecordFailure("", "", null, ReadOnlyMemory<byte>.Empty, "Unknown", message, []);
    }

    /// <summary>Creates an exception without a record; prefer the failure constructor.</summary>
    public RecordFailedException(string message, Exception innerException)
        : base(message, innerException)
    {
        Failure = new RecordFailure("", "", null, ReadOnlyMemory<byte>.Empty, "Unknown", message, []);
    }

    /// <summary>The record, the reason and every attempt.</summary>
    public RecordFailure Failure { get; }

    private static string Describe(RecordFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        return $"Record for stream {failure.StreamName} (partition key length {failure.PartitionKey.Length}, {failure.Data.Length} bytes) failed with {failure.ErrorCode} after {failure.Attempts.Count} attempt(s): {failure.ErrorMessage}";
    }
}
