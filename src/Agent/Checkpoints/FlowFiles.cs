using Kinesis.Clients.Agent.Tailing;

namespace Kinesis.Clients.Agent.Checkpoints;

/// <summary>A file a flow's pattern matches now, as the checkpoint import sees it.</summary>
internal sealed record FlowFile(string Path, FileKey Key, long Size, long LastModifiedMillis)
{
    /// <summary>A checkpoint of this file at <paramref name="offset"/>, fingerprinted with its first bytes as they are now.</summary>
    public FileCheckpoint Checkpoint(string flowId, long offset, DateTimeOffset now)
    {
        using var handle = NativeFiles.OpenRead(Path);
        var head = ContentHead.Read(handle, new byte[ContentHead.FullLength]);
        return new FileCheckpoint(flowId, Key.Device, Key.Inode, head.Hash, head.Length, Path, offset, now);
    }
}

/// <summary>Lists the regular files a flow's pattern matches, as the tailer would find them.</summary>
internal static class FlowFiles
{
    public static List<FlowFile> List(string filePattern)
    {
        var files = new List<FlowFile>();
        var seen = new HashSet<FileKey>();
        foreach (var path in GlobWalker.Enumerate(GlobPattern.Parse(filePattern)))
        {
            try
            {
                if (FileDiscovery.IsCompressed(path) || !NativeFiles.TryStat(path, out var status) || !status.IsRegularFile || !seen.Add(status.Key))
                {
                    continue;
                }

                // Java's TrackedFile reads Files.getLastModifiedTime(path).toMillis(): milliseconds, rounded down.
                var modified = new DateTimeOffset(File.GetLastWriteTimeUtc(path)).ToUnixTimeMilliseconds();
                files.Add(new FlowFile(path, status.Key, status.Size, modified));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Unreadable or gone meanwhile: the tailer will report it; the import just does not count it.
            }
        }

        return files;
    }
}
