using Kinesis.Clients.Agent.Checkpoints;

namespace Kinesis.Clients.Agent.Tests.Checkpoints;

/// <summary>
/// A checkpoint store that lives as long as the process: for tests, and checked by the same contract tests as
/// <see cref="SqliteCheckpointStore"/> so the two cannot drift.
/// </summary>
internal sealed class InMemoryCheckpointStore : ICheckpointStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Flow, ulong Device, ulong Inode), FileCheckpoint> _rows = [];
    private readonly HashSet<string> _imported = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public Task<IReadOnlyList<FileCheckpoint>> LoadAsync(string flowId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flowId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            IReadOnlyList<FileCheckpoint> rows = _rows.Values.Where(r => r.FlowId == flowId).ToList();
            return Task.FromResult(rows);
        }
    }

    /// <inheritdoc/>
    public Task SaveAsync(IReadOnlyCollection<FileCheckpoint> checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var checkpoint in checkpoints)
            {
                _rows[(checkpoint.FlowId, checkpoint.Device, checkpoint.Inode)] = checkpoint;
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<int> ForgetAsync(string flowId, DateTimeOffset notUpdatedSince, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flowId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            var stale = _rows.Where(r => r.Key.Flow == flowId && r.Value.UpdatedAt < notUpdatedSince).Select(r => r.Key).ToList();
            foreach (var key in stale)
            {
                _rows.Remove(key);
            }

            return Task.FromResult(stale.Count);
        }
    }

    /// <inheritdoc/>
    public Task<bool> HasImportedAsync(string flowId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flowId);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            return Task.FromResult(_imported.Contains(flowId));
        }
    }

    /// <inheritdoc/>
    public Task RecordImportAsync(string flowId, string source, IReadOnlyCollection<FileCheckpoint> checkpoints, DateTimeOffset importedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flowId);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(checkpoints);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_gate)
        {
            foreach (var checkpoint in checkpoints)
            {
                _rows[(checkpoint.FlowId, checkpoint.Device, checkpoint.Inode)] = checkpoint;
            }

            _imported.Add(flowId);
        }

        return Task.CompletedTask;
    }
}
