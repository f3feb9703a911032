using Microsoft.Data.Sqlite;

namespace Kinesis.Clients.Agent.Checkpoints;

/// <summary>
/// The Amazon Kinesis Agent's (Java) checkpoint database, opened read-only to import its offsets. It is never
/// written: the Java agent may be started again on the host, and its directory (/var/run) is not ours to write.
/// </summary>
internal sealed class JavaCheckpointDatabase : IDisposable
{
    /// <summary>The Java agent's default <c>checkpointFile</c>.</summary>
    public const string DefaultPath = "/var/run/aws-kinesis-agent/checkpoints";

    /// <summary>
    /// The table as the Java agent creates it (<c>SQLiteFileCheckpointStore</c>): one row per flow and path,
    /// <c>lastUpdated</c> written as <c>strftime('%Y-%m-%d %H:%M:%f', 'now')</c>.
    /// </summary>
    public const string JavaSchema = "create table if not exists FILE_CHECKPOINTS("
        + "       flow text,"
        + "       path text,"
        + "       fileId text,"
        + "       lastModifiedTime bigint,"
        + "       size bigint,"
        + "       offset bigint,"
        + "       lastUpdated datetime,"
        + "       primary key (flow, path))";

    private const string Select = "SELECT flow, path, fileId, lastModifiedTime, size, offset, lastUpdated FROM FILE_CHECKPOINTS";

    private readonly SqliteConnection _connection;

    private JavaCheckpointDatabase(string path, SqliteConnection connection)
    {
        Path = path;
        _connection = connection;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>Opens <paramref name="path"/> read-only and checks that it holds the Java agent's table.</summary>
    /// <exception cref="IOException">The file cannot be opened or read, or is not the Java agent's database; the message says why (not the path).</exception>
    public static JavaCheckpointDatabase Open(string path)
    {
        // Pooling off: the file is read once at start and must really be closed afterwards.
        var builder = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false, DefaultTimeout = 5 };
        var connection = new SqliteConnection(builder.ConnectionString);
        try
        {
            connection.Open();
            using var probe = connection.CreateCommand();
            probe.CommandText = Select + " LIMIT 0;";
            probe.ExecuteNonQuery();
            return new JavaCheckpointDatabase(path, connection);
        }
        catch (SqliteException e)
        {
            var problem = Explain(connection, e);
            connection.Dispose();
            throw new IOException(problem, e);
        }
    }

    /// <summary>Why the existing file at <paramref name="path"/> cannot be imported from, or <see langword="null"/> if it can.</summary>
    public static string? Problem(string path)
    {
        try
        {
            using var database = Open(path);
            return null;
        }
        catch (IOException e)
        {
            return e.Message;
        }
    }

    /// <summary>The rows of <paramref name="flowId"/>, most recently written first (the Java agent resumes from that one).</summary>
    /// <exception cref="IOException">The table cannot be read.</exception>
    public IReadOnlyList<JavaCheckpoint> Rows(string flowId)
    {
        try
        {
            using var command = _connection.CreateCommand();
            command.CommandText = Select + " WHERE flow = $flow ORDER BY lastUpdated DESC;";
            command.Parameters.AddWithValue("$flow", flowId);
            using var reader = command.ExecuteReader();
            var rows = new List<JavaCheckpoint>();
            while (reader.Read())
            {
                // The Java agent always writes every column; a row missing one was not written by it and is skipped.
                if (reader.IsDBNull(1) || reader.IsDBNull(2) || reader.IsDBNull(3) || reader.IsDBNull(4) || reader.IsDBNull(5))
                {
                    continue;
                }

                rows.Add(new JavaCheckpoint(
                    reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3), reader.GetInt64(4),
                    reader.GetInt64(5), reader.IsDBNull(6) ? null : reader.GetString(6)));
            }

            return rows;
        }
        catch (Exception e) when (e is SqliteException or InvalidCastException or FormatException)
        {
            throw new IOException($"has a FILE_CHECKPOINTS table that cannot be read: {e.Message}", e);
        }
    }

    public void Dispose() => _connection.Dispose();

    private static string Explain(SqliteConnection connection, SqliteException e)
    {
        if (connection.State != System.Data.ConnectionState.Open)
        {
            return $"cannot be opened: {e.Message}";
        }

        try
        {
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN ('kinesis_agent_checkpoints', 'file_checkpoints');";
            if ((long)command.ExecuteScalar()! > 0 && e.Message.Contains("no such", StringComparison.Ordinal))
            {
                return "is this agent's own checkpoint database, not the Java agent's (name it with checkpointDatabase)";
            }
        }
        catch (SqliteException)
        {
            // Not a database at all; the first error says so.
        }

        return $"is not the Java agent's checkpoint database (table FILE_CHECKPOINTS): {e.Message}";
    }
}
