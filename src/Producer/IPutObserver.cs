namespace Kinesis.Clients.Producer;

/// <summary>
/// Hears the outcome of records put with
/// <see cref="KinesisProducer.EnqueueAsync(string, string, ReadOnlyMemory{byte}, string?, IPutObserver, long, CancellationToken)"/>:
/// exactly one call per record, carrying the token the caller chose. For callers that track many records
/// without a task per record (a file shipper checkpointing acknowledged lines, say).
/// </summary>
/// <remarks>
/// <see cref="OnPutSucceeded"/> runs on the producer's send path, so it must be quick and must not block or
/// wait (record the token and return). <see cref="OnPutFailed"/> runs on the producer's callback task, in
/// order, where waiting only delays later failure reports. Exceptions from either are logged and ignored.
/// </remarks>
public interface IPutObserver
{
    /// <summary>The record is stored in Kinesis.</summary>
    /// <param name="token">The token given with the record.</param>
    /// <param name="shardId">The shard that stored it.</param>
    /// <param name="sequenceNumber">The sequence number of the Kinesis record it travelled in.</param>
    void OnPutSucceeded(long token, string shardId, string sequenceNumber);

    /// <summary>The record failed for good (or expired, or the producer shut down); it was not stored.</summary>
    /// <param name="token">The token given with the record.</param>
    /// <param name="failure">The record and why it failed.</param>
    void OnPutFailed(long token, RecordFailure failure);
}
