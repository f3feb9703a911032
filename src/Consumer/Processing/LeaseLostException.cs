namespace Kinesis.Clients.Consumer;

/// <summary>
/// A checkpoint was refused because this worker no longer holds the shard's lease (another worker took it,
/// or this worker's own clock says it expired). Stop processing; the processor is told through
/// <see cref="IRecordProcessor.LeaseLostAsync"/>.
/// </summary>
public sealed class LeaseLostException : Exception
{
    /// <summary>Creates the exception for a lease.</summary>
    public LeaseLostException(string leaseKey, string reason)
        : base($"The lease of {leaseKey} is no longer held by this worker: {reason}")
    {
        LeaseKey = leaseKey;
    }

    /// <summary>Creates the exception.</summary>
    public LeaseLostException()
        : this("unknown", "lease lost")
    {
    }

    /// <summary>Creates the exception.</summary>
    public LeaseLostException(string message)
        : base(message)
    {
        LeaseKey = "unknown";
    }

    /// <summary>Creates the exception.</summary>
    public LeaseLostException(string message, Exception innerException)
        : base(message, innerException)
    {
        LeaseKey = "unknown";
    }

    /// <summary>The lease (shard id) that was lost.</summary>
    public string LeaseKey { get; }
}
