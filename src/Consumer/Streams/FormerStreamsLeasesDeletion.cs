namespace Kinesis.Clients.Consumer;

/// <summary>
/// What becomes of the leases of a stream that is no longer tracked (the KCL's
/// <c>FormerStreamsLeasesDeletionStrategy</c> types).
/// </summary>
public enum FormerStreamsLeasesDeletion
{
    /// <summary>
    /// Never delete them (the KCL's <c>NoLeaseDeletionStrategy</c>): the stream is no longer synced, and its leases,
    /// with their checkpoints, stay in the table for when the stream is tracked again or for an operator to remove.
    /// </summary>
    None = 0,

    /// <summary>
    /// A stream found in the lease table but not in <see cref="MultiStreamTracker.Streams"/> has its leases deleted once
    /// it has stayed untracked for <see cref="MultiStreamTracker.WaitPeriodToDeleteFormerStreams"/> (the KCL's
    /// <c>AutoDetectionAndDeferredDeletionStrategy</c>). The wait gives workers whose list of streams is behind time to
    /// catch up before another one deletes what they still consume.
    /// </summary>
    AutoDetectionDeferred = 1,

    /// <summary>
    /// Only the streams named by <see cref="MultiStreamTracker.SetStreamsForLeaseDeletion"/> have their leases deleted,
    /// after <see cref="MultiStreamTracker.WaitPeriodToDeleteFormerStreams"/>, and only while they are not tracked (the
    /// KCL's <c>ProvidedStreamsDeferredDeletionStrategy</c>).
    /// </summary>
    ProvidedStreamsDeferred = 2,
}
