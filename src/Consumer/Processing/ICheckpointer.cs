namespace Kinesis.Clients.Consumer;

/// <summary>
/// Records progress in the lease table. Every checkpoint is a conditional write fenced on the lease: a worker
/// that lost the lease gets <see cref="LeaseLostException"/>, never a silent write; the checkpoint never moves
/// backwards, and never past the last record delivered (<see cref="ArgumentOutOfRangeException"/>).
/// </summary>
public interface ICheckpointer
{
    /// <summary>Checkpoints the last record delivered to the processor (at shard end: the end of the shard).</summary>
    Task CheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>Checkpoints a record, by its position.</summary>
    /// <param name="sequenceNumber">The Kinesis record's sequence number.</param>
    /// <param name="subSequenceNumber">The sub-record inside an aggregate; 0 for plain records.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    Task CheckpointAsync(string sequenceNumber, long subSequenceNumber = 0, CancellationToken cancellationToken = default);

    /// <summary>Checkpoints <paramref name="record"/>.</summary>
    Task CheckpointAsync(ConsumerRecord record, CancellationToken cancellationToken = default);

    /// <summary>
    /// The first half of a two-phase checkpoint: stores a pending checkpoint (and optional application
    /// state) that a later <see cref="CheckpointAsync(string, long, CancellationToken)"/> makes final. A worker
    /// that takes the lease over sees it in <see cref="InitializationInput.PendingCheckpoint"/>.
    /// </summary>
    Task PrepareCheckpointAsync(string sequenceNumber, long subSequenceNumber = 0, byte[]? applicationState = null, CancellationToken cancellationToken = default);
}
