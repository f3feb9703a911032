using Kinesis.Clients.Agent.Tailing;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Checkpoints;

/// <summary>
/// On a flow's first start (no checkpoint of ours, never imported), takes over where the Java agent left the
/// flow, so that replacing it neither re-sends nor skips lines. Each flow imports once, whatever the outcome.
/// </summary>
/// <remarks>
/// The Java agent resumes a flow from its most recently written row only (its other rows are history), and
/// treats every file of the flow older than that row's file as sent and every newer one as unsent. So does this:
/// the row's file resumes at the row's offset, matching files last modified before the row's time are taken as
/// sent (checkpointed at their size), and the others, newer or tied, are read from their start. See
/// <c>Checkpoints/README.md</c> for when a row's file counts as the same file.
/// </remarks>
internal sealed class JavaCheckpointImporter(string databasePath, ICheckpointStore store, TimeProvider timeProvider, ILogger logger) : IDisposable
{
    private readonly Lock _gate = new();
    private JavaCheckpointDatabase? _database;
    private bool _opened;

    /// <summary>The Java agent's database this importer reads.</summary>
    public string DatabasePath { get; } = databasePath;

    /// <summary>Imports the Java agent's checkpoint of <paramref name="flowId"/> unless it was done or is moot.</summary>
    /// <exception cref="IOException">Our own store cannot be read or written.</exception>
    public async Task ImportAsync(string flowId, string filePattern, CancellationToken cancellationToken = default)
    {
        if (await store.HasImportedAsync(flowId, cancellationToken).ConfigureAwait(false)
            || (await store.LoadAsync(flowId, cancellationToken).ConfigureAwait(false)).Count > 0)
        {
            return;
        }

        var database = OpenOnce();
        if (database is null)
        {
            return;
        }

        IReadOnlyList<JavaCheckpoint> rows;
        try
        {
            rows = database.Rows(flowId);
        }
        catch (IOException e)
        {
            CheckpointsLog.JavaDatabaseUnreadable(logger, DatabasePath, e.Message);
            return;
        }

        var checkpoints = rows.Count == 0 ? [] : Resume(flowId, filePattern, rows);
        if (rows.Count == 0)
        {
            CheckpointsLog.JavaFlowAbsent(logger, flowId, DatabasePath);
        }

        await store.RecordImportAsync(flowId, DatabasePath, checkpoints, timeProvider.GetUtcNow(), cancellationToken).ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _database?.Dispose();
            _database = null;
        }
    }

    private List<FileCheckpoint> Resume(string flowId, string filePattern, IReadOnlyList<JavaCheckpoint> rows)
    {
        var row = rows[0];
        if (rows.Count > 1)
        {
            CheckpointsLog.JavaOlderRowsIgnored(logger, rows.Count - 1, flowId, DatabasePath);
        }

        if (!row.TryParseFileId(out var device, out var inode))
        {
            CheckpointsLog.JavaCheckpointIgnored(logger, flowId, row.Path, row.Offset, DatabasePath, $"its fileId '{row.FileId}' is not (dev=<hex>,ino=<decimal>)");
            return [];
        }

        var files = FlowFiles.List(filePattern);
        var key = new FileKey(device, inode);
        var current = files.Find(f => f.Key == key && string.Equals(f.Path, row.Path, StringComparison.Ordinal))
            ?? files.Find(f => f.Key == key);
        var problem = current is null ? Missing(row, files)
            : current.Size < row.Offset ? $"it is {current.Size} bytes now, shorter than the offset: truncated since"
            : current.Size < row.Size ? $"it is {current.Size} bytes now, shorter than the {row.Size} the Java agent saw: truncated since"
            : current.LastModifiedMillis < row.LastModifiedTime ? "it was last modified before the time the Java agent saw: not the same content"
            : null;
        if (problem is not null)
        {
            CheckpointsLog.JavaCheckpointIgnored(logger, flowId, row.Path, row.Offset, DatabasePath, problem);
            return [];
        }

        var now = timeProvider.GetUtcNow();
        var checkpoints = new List<FileCheckpoint> { current!.Checkpoint(flowId, row.Offset, now) };
        foreach (var older in files.Where(f => f.Key != key && f.LastModifiedMillis < row.LastModifiedTime))
        {
            checkpoints.Add(older.Checkpoint(flowId, older.Size, now));
        }

        var moved = string.Equals(current.Path, row.Path, StringComparison.Ordinal) ? "" : $" (renamed from {row.Path})";
        CheckpointsLog.JavaCheckpointImported(logger, flowId, current.Path + moved, row.Offset, checkpoints.Count - 1, DatabasePath);
        return checkpoints;
    }

    private static string Missing(JavaCheckpoint row, List<FlowFile> files)
    {
        var atPath = files.Find(f => string.Equals(f.Path, row.Path, StringComparison.Ordinal));
        return atPath is null
            ? $"no file of the flow has its identity {row.FileId} any more"
            : $"{row.Path} is another file now (inode {atPath.Key.Inode}, not {row.FileId}) and no file of the flow has the old identity";
    }

    private JavaCheckpointDatabase? OpenOnce()
    {
        lock (_gate)
        {
            if (_opened)
            {
                return _database;
            }

            _opened = true;
            if (!File.Exists(DatabasePath))
            {
                CheckpointsLog.JavaDatabaseAbsent(logger, DatabasePath);
                return null;
            }

            try
            {
                _database = JavaCheckpointDatabase.Open(DatabasePath);
            }
            catch (IOException e)
            {
                CheckpointsLog.JavaDatabaseUnreadable(logger, DatabasePath, e.Message);
            }

            return _database;
        }
    }
}
