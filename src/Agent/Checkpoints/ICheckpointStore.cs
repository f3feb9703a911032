namespace Kinesis.Clients.Agent.Checkpoints;

/// <summary>
/// Durable per-file checkpoints of the agent's flows. One checkpoint per (flow, device, inode): saving a newer
/// generation of the same inode replaces the older one.
/// </summary>
internal interface ICheckpointStore
{
    /// <summary>Every checkpoint of <paramref name="flowId"/>, in no particular order.</summary>
    Task<IReadOnlyList<FileCheckpoint>> LoadAsync(string flowId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Inserts or replaces the given checkpoints, keyed by flow, device and inode, all or none (one transaction).
    /// </summary>
    Task SaveAsync(IReadOnlyCollection<FileCheckpoint> checkpoints, CancellationToken cancellationToken = default);

    /// <summary>
    /// Deletes the checkpoints of <paramref name="flowId"/> last written before <paramref name="notUpdatedSince"/>:
    /// files that have been gone for a long time. Returns how many were deleted.
    /// </summary>
    Task<int> ForgetAsync(string flowId, DateTimeOffset notUpdatedSince, CancellationToken cancellationToken = default);

    /// <summary>Whether the Java agent's checkpoints of <paramref name="flowId"/> were imported already.</summary>
    Task<bool> HasImportedAsync(string flowId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Saves <paramref name="checkpoints"/> (possibly none) and notes that <paramref name="flowId"/> imported the
    /// Java agent's checkpoints from <paramref name="source"/>, all or none (one transaction), so it never imports again.
    /// </summary>
    Task RecordImportAsync(string flowId, string source, IReadOnlyCollection<FileCheckpoint> checkpoints, DateTimeOffset importedAt, CancellationToken cancellationToken = default);
}
