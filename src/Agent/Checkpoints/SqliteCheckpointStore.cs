using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kinesis.Clients.Agent.Checkpoints;

/// <summary>
/// Checkpoints in one SQLite file (by default <c>/var/lib/kinesis-agent/checkpoints.db</c>: /var/lib survives
/// reboots, unlike the /var/run the Java agent used).
/// </summary>
/// <remarks>
/// <para>
/// The tables are named apart from the Java agent's <c>FILE_CHECKPOINTS</c> (SQLite table names ignore case), so
/// the two never collide even when both live in one file. A database from before the rename, whose
/// <c>file_checkpoints</c> table has this agent's columns, is renamed on open.
/// </para>
/// <para>
/// WAL with <c>synchronous=NORMAL</c>: a committed save survives the agent being killed (kill -9, OOM), because
/// the WAL frames are in the OS page cache. A power loss can lose the last saves since the WAL was last synced;
/// the database stays consistent and merely rewinds to an older offset, which re-sends records (duplicates)
/// but never skips any. <c>FULL</c> would fsync on every save (every second per flow) for no gain in
/// at-least-once delivery, so it is not used.
/// </para>
/// </remarks>
internal sealed class SqliteCheckpointStore : ICheckpointStore, IDisposable
{
    /// <summary>Where the agent keeps its checkpoints unless configured otherwise.</summary>
    public const string DefaultPath = "/var/lib/kinesis-agent/checkpoints.db";

    /// <summary>The table of this agent's checkpoints.</summary>
    public const string CheckpointsTable = "kinesis_agent_checkpoints";

    /// <summary>The table of flows that have had their Java agent checkpoints imported (once each).</summary>
    public const string ImportsTable = "kinesis_agent_imports";

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS kinesis_agent_checkpoints (
            flow_id            TEXT    NOT NULL,
            device             INTEGER NOT NULL,
            inode              INTEGER NOT NULL,
            fingerprint        INTEGER NOT NULL,
            fingerprint_length INTEGER NOT NULL,
            path               TEXT    NOT NULL,
            offset             INTEGER NOT NULL,
            updated_at_ms      INTEGER NOT NULL,
            PRIMARY KEY (flow_id, device, inode)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS kinesis_agent_imports (
            flow_id        TEXT    NOT NULL PRIMARY KEY,
            source         TEXT    NOT NULL,
            imported_at_ms INTEGER NOT NULL
        ) WITHOUT ROWID;
        """;

    // This agent's table was called file_checkpoints before; the Java agent's FILE_CHECKPOINTS has no flow_id column.
    private const string RenameLegacy = """
        SELECT count(*) FROM sqlite_master m
        WHERE m.type = 'table' AND m.name = 'file_checkpoints'
          AND EXISTS (SELECT 1 FROM pragma_table_info('file_checkpoints') WHERE name = 'flow_id')
          AND NOT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'kinesis_agent_checkpoints');
        """;

    private const string Upsert = """
        INSERT INTO kinesis_agent_checkpoints (flow_id, device, inode, fingerprint, fingerprint_length, path, offset, updated_at_ms)
        VALUES ($flow, $device, $inode, $fingerprint, $length, $path, $offset, $updated)
        ON CONFLICT (flow_id, device, inode) DO UPDATE SET
            fingerprint = excluded.fingerprint, fingerprint_length = excluded.fingerprint_length,
            path = excluded.path, offset = excluded.offset, updated_at_ms = excluded.updated_at_ms;
        """;

    private readonly SqliteConnection _connection;
    // Microsoft.Data.Sqlite runs every call synchronously and a connection is not thread-safe: one lock.
    private readonly Lock _gate = new();
    private readonly ILogger _logger;
    private bool _disposed;

    /// <summary>Opens (creating the directory, file and schema if needed) the store at <paramref name="databasePath"/>.</summary>
    /// <exception cref="IOException">The file cannot be created, opened or written; the message names the path.</exception>
    public SqliteCheckpointStore(string databasePath, ILogger? logger = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(databasePath);
        DatabasePath = System.IO.Path.GetFullPath(databasePath);
        _logger = logger ?? NullLogger.Instance;

        try
        {
            var directory = System.IO.Path.GetDirectoryName(DatabasePath);
            if (!string.IsNullOrEmpty(directory))
            {
                Directory.CreateDirectory(directory);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw Failure("cannot create its directory", e);
        }

        // Pooling off: disposing the store must really close the file (tests delete it; the host may reopen it).
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = DatabasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
            DefaultTimeout = 30,
        };
        _connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL;");
            Execute("PRAGMA synchronous=NORMAL;");
            Execute("PRAGMA busy_timeout=5000;");
            if (Scalar(RenameLegacy) > 0)
            {
                Execute("ALTER TABLE file_checkpoints RENAME TO kinesis_agent_checkpoints;");
            }

            Execute(Schema);
        }
        catch (SqliteException e)
        {
            _connection.Dispose();
            throw Failure("cannot be opened", e);
        }

        CheckpointsLog.Opened(_logger, DatabasePath);
    }

    /// <summary>The full path of the database file.</summary>
    public string DatabasePath { get; }

    /// <inheritdoc/>
    public Task<IReadOnlyList<FileCheckpoint>> LoadAsync(string flowId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flowId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Locked("cannot be read", () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT device, inode, fingerprint, fingerprint_length, path, offset, updated_at_ms FROM kinesis_agent_checkpoints WHERE flow_id = $flow;";
            command.Parameters.AddWithValue("$flow", flowId);
            var rows = new List<FileCheckpoint>();
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                rows.Add(new FileCheckpoint(
                    flowId,
                    unchecked((ulong)reader.GetInt64(0)),
                    unchecked((ulong)reader.GetInt64(1)),
                    unchecked((ulong)reader.GetInt64(2)),
                    reader.GetInt32(3),
                    reader.GetString(4),
                    reader.GetInt64(5),
                    DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(6))));
            }

            return (IReadOnlyList<FileCheckpoint>)rows;
        }));
    }

    /// <inheritdoc/>
    public Task SaveAsync(IReadOnlyCollection<FileCheckpoint> checkpoints, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checkpoints);
        cancellationToken.ThrowIfCancellationRequested();
        if (checkpoints.Count == 0)
        {
            return Task.CompletedTask;
        }

        Locked("cannot be written", () =>
        {
            using var transaction = _connection.BeginTransaction();
            Insert(transaction, checkpoints);
            transaction.Commit();
            return 0;
        });
        return Task.CompletedTask;
    }

    /// <inheritdoc/>
    public Task<int> ForgetAsync(string flowId, DateTimeOffset notUpdatedSince, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flowId);
        cancellationToken.ThrowIfCancellationRequested();
        var count = Locked("cannot be written", () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "DELETE FROM kinesis_agent_checkpoints WHERE flow_id = $flow AND updated_at_ms < $cutoff;";
            command.Parameters.AddWithValue("$flow", flowId);
            command.Parameters.AddWithValue("$cutoff", notUpdatedSince.ToUnixTimeMilliseconds());
            return command.ExecuteNonQuery();
        });
        if (count > 0)
        {
            CheckpointsLog.Forgot(_logger, count, flowId, notUpdatedSince);
        }

        return Task.FromResult(count);
    }

    /// <inheritdoc/>
    public Task<bool> HasImportedAsync(string flowId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flowId);
        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(Locked("cannot be read", () =>
        {
            using var command = _connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM kinesis_agent_imports WHERE flow_id = $flow;";
            command.Parameters.AddWithValue("$flow", flowId);
            return (long)command.ExecuteScalar()! > 0;
        }));
    }

    /// <inheritdoc/>
    public Task RecordImportAsync(string flowId, string source, IReadOnlyCollection<FileCheckpoint> checkpoints, DateTimeOffset importedAt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(flowId);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(checkpoints);
        cancellationToken.ThrowIfCancellationRequested();
        Locked("cannot be written", () =>
        {
            using var transaction = _connection.BeginTransaction();
            Insert(transaction, checkpoints);
            using var command = _connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT OR REPLACE INTO kinesis_agent_imports (flow_id, source, imported_at_ms) VALUES ($flow, $source, $at);";
            command.Parameters.AddWithValue("$flow", flowId);
            command.Parameters.AddWithValue("$source", source);
            command.Parameters.AddWithValue("$at", importedAt.ToUnixTimeMilliseconds());
            command.ExecuteNonQuery();
            transaction.Commit();
            return 0;
        });
        return Task.CompletedTask;
    }

    /// <summary>Closes the database file.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _connection.Dispose();
        }
    }

    private T Locked<T>(string what, Func<T> operation)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            try
            {
                return operation();
            }
            catch (SqliteException e)
            {
                throw Failure(what, e);
            }
        }
    }

    private void Insert(SqliteTransaction transaction, IReadOnlyCollection<FileCheckpoint> checkpoints)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = Upsert;
        var flow = command.Parameters.Add("$flow", SqliteType.Text);
        var device = command.Parameters.Add("$device", SqliteType.Integer);
        var inode = command.Parameters.Add("$inode", SqliteType.Integer);
        var fingerprint = command.Parameters.Add("$fingerprint", SqliteType.Integer);
        var length = command.Parameters.Add("$length", SqliteType.Integer);
        var path = command.Parameters.Add("$path", SqliteType.Text);
        var offset = command.Parameters.Add("$offset", SqliteType.Integer);
        var updated = command.Parameters.Add("$updated", SqliteType.Integer);
        foreach (var checkpoint in checkpoints)
        {
            // SQLite integers are signed 64-bit; device, inode and hash round-trip through the same bits.
            flow.Value = checkpoint.FlowId;
            device.Value = unchecked((long)checkpoint.Device);
            inode.Value = unchecked((long)checkpoint.Inode);
            fingerprint.Value = unchecked((long)checkpoint.Fingerprint);
            length.Value = checkpoint.FingerprintLength;
            path.Value = checkpoint.Path;
            offset.Value = checkpoint.Offset;
            updated.Value = checkpoint.UpdatedAt.ToUnixTimeMilliseconds();
            command.ExecuteNonQuery();
        }
    }

    private long Scalar(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private IOException Failure(string what, Exception inner) =>
        new($"Checkpoint store {DatabasePath} {what}: {inner.Message}", inner);
}
