namespace Kinesis.Clients.Producer;

/// <summary>A user record that could not be put, and why.</summary>
/// <param name="StreamName">The stream it was for.</param>
/// <param name="PartitionKey">Its partition key.</param>
/// <param name="ExplicitHashKey">Its explicit hash key, if any.</param>
/// <param name="Data">Its data.</param>
/// <param name="ErrorCode">
/// The final reason: an AWS error code such as <c>ProvisionedThroughputExceededException</c> (with
/// <see cref="KinesisProducerOptions.FailIfThrottled"/>) or <c>AccessDeniedException</c>, <c>Expired</c> when
/// <see cref="KinesisProducerOptions.RecordTtl"/> passed first, or <c>ProducerDisposed</c> when the producer shut
/// down before it could be sent.
/// </param>
/// <param name="ErrorMessage">What happened, for one log line.</param>
/// <param name="Attempts">Every attempt to send it, in order (empty if it was never sent).</param>
public sealed record RecordFailure(
    string StreamName,
    string PartitionKey,
    string? ExplicitHashKey,
    ReadOnlyMemory<byte> Data,
    string ErrorCode,
    string ErrorMessage,
    IReadOnlyList<Attempt> Attempts)
{
    /// <summary>The error code when <see cref="KinesisProducerOptions.RecordTtl"/> passes before acknowledgement.</summary>
    public const string Expired = "Expired";

    /// <summary>The error code for records still unsent when the producer is disposed and its shutdown timeout passes.</summary>
    public const string ProducerDisposed = "ProducerDisposed";

    /// <summary>
    /// For a run put with <see cref="KinesisProducer.EnqueueRunAsync"/>: the length of each of its records in
    /// <see cref="Data"/>, in order; <see langword="null"/> for a single record.
    /// </summary>
    public IReadOnlyList<int>? RecordLengths { get; init; }

    /// <summary>How many user records failed: 1, or the records of a run.</summary>
    public int RecordCount => RecordLengths?.Count ?? 1;
}
