using System.Diagnostics;
using System.Globalization;
using Kinesis.Clients.Agent.Checkpoints;
using Microsoft.Data.Sqlite;

namespace Kinesis.Clients.Agent.Tests.Checkpoints;

/// <summary>
/// A checkpoint database written as the Java agent writes one: its exact table, its insert statement, its
/// <c>UnixFileKey.toString()</c> file ids (device in hex, inode in decimal, both read here with stat(1), apart
/// from the agent's own statx code).
/// </summary>
internal static class JavaAgentDatabase
{
    public static void Create(string path, params (string Flow, string File, long Offset, string? FileId, long? Size, long? LastModifiedMillis, string? LastUpdated)[] rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ConnectionString);
        connection.Open();
        using (var create = connection.CreateCommand())
        {
            create.CommandText = JavaCheckpointDatabase.JavaSchema;
            create.ExecuteNonQuery();
        }

        foreach (var row in rows)
        {
            using var insert = connection.CreateCommand();
            insert.CommandText = row.LastUpdated is null
                ? "insert or ignore into FILE_CHECKPOINTS values($flow, $path, $id, $mtime, $size, $offset, strftime('%Y-%m-%d %H:%M:%f', 'now'))"
                : "insert or ignore into FILE_CHECKPOINTS values($flow, $path, $id, $mtime, $size, $offset, $updated)";
            insert.Parameters.AddWithValue("$flow", row.Flow);
            insert.Parameters.AddWithValue("$path", row.File);
            insert.Parameters.AddWithValue("$id", row.FileId ?? FileIdOf(row.File));
            insert.Parameters.AddWithValue("$mtime", row.LastModifiedMillis ?? ModifiedMillis(row.File));
            insert.Parameters.AddWithValue("$size", row.Size ?? new FileInfo(row.File).Length);
            insert.Parameters.AddWithValue("$offset", row.Offset);
            insert.Parameters.AddWithValue("$updated", (object?)row.LastUpdated ?? DBNull.Value);
            insert.ExecuteNonQuery();
        }
    }

    /// <summary>A row for <paramref name="file"/> as it is now, at <paramref name="offset"/>.</summary>
    public static (string, string, long, string?, long?, long?, string?) Row(string flow, string file, long offset, string? lastUpdated = null) =>
        (flow, file, offset, null, null, null, lastUpdated);

    /// <summary>What Java's <c>BasicFileAttributes.fileKey().toString()</c> prints on Linux.</summary>
    public static string FileIdOf(string file)
    {
        var stat = Run("stat", "-L", "-c", "%d %i", file).Split(' ');
        var device = long.Parse(stat[0], CultureInfo.InvariantCulture);
        return $"(dev={device.ToString("x", CultureInfo.InvariantCulture)},ino={stat[1].Trim()})";
    }

    public static long ModifiedMillis(string file) => new DateTimeOffset(File.GetLastWriteTimeUtc(file)).ToUnixTimeMilliseconds();

    private static string Run(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program) { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim() : throw new InvalidOperationException($"{program} exited with {process.ExitCode}");
    }
}
