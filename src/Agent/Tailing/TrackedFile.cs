using Microsoft.Win32.SafeHandles;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// A file held open while it is tailed: its identity, its current generation, whether the pattern still
/// reaches it, and counters. Holding the descriptor keeps the inode from being reused while we read it.
/// </summary>
internal sealed class TrackedFile
{
    private TailGeneration _generation;
    private string _currentPath;
    private volatile bool _reachable = true;
    private long _size;
    private long _recordsRead;
    private long _bytesRead;
    private long _truncatedRecords;

    public TrackedFile(FileKey key, SafeFileHandle handle, string path, long size, TailGeneration generation)
    {
        Key = key;
        Handle = handle;
        OpenedPath = path;
        _currentPath = path;
        _size = size;
        _generation = generation;
    }

    public FileKey Key { get; }

    /// <summary>The open descriptor every read goes through, whatever the file is now called.</summary>
    public SafeFileHandle Handle { get; }

    public string OpenedPath { get; }

    /// <summary>The path the last discovery pass found it under.</summary>
    public string CurrentPath
    {
        get => Volatile.Read(ref _currentPath);
        set => Volatile.Write(ref _currentPath, value);
    }

    public TailGeneration Generation
    {
        get => Volatile.Read(ref _generation);
        set => Volatile.Write(ref _generation, value);
    }

    /// <summary>Whether the last discovery pass found it through the pattern (false once rotated away or deleted).</summary>
    public bool Reachable
    {
        get => _reachable;
        set => _reachable = value;
    }

    public long Size
    {
        get => Volatile.Read(ref _size);
        set => Volatile.Write(ref _size, value);
    }

    public long RecordsRead => Volatile.Read(ref _recordsRead);

    public long BytesRead => Volatile.Read(ref _bytesRead);

    public long TruncatedRecords => Volatile.Read(ref _truncatedRecords);

    /// <summary>The read loop; set once when it starts.</summary>
    public Task? ReadLoop { get; set; }

    /// <summary>The offset, path and head length last written to the store, and when (checkpoint loop only).</summary>
    public (long Offset, string? Path, int HeadLength, long Timestamp) Saved { get; set; } = (-1, null, -1, 0);

    // Only the read loop counts, so plain volatile writes suffice.
    public void CountRead(long records, long bytes, long truncated)
    {
        Volatile.Write(ref _recordsRead, _recordsRead + records);
        Volatile.Write(ref _bytesRead, _bytesRead + bytes);
        Volatile.Write(ref _truncatedRecords, _truncatedRecords + truncated);
    }

    public FileProgress Progress()
    {
        var generation = Generation;
        var acknowledged = generation.DurableOffset();
        return new FileProgress(CurrentPath, Math.Max(Size, generation.SettledOffset), generation.SettledOffset, acknowledged, RecordsRead, BytesRead, TruncatedRecords);
    }
}
