using System.Buffers;
using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// One pass over the pattern: marks tracked files reachable or not, opens new files and decides where each
/// starts. The rules, in order, for a file not tracked yet (a new device and inode):
/// <list type="number">
/// <item>Same inode as a checkpoint (or a file this flow closed) and its head starts with the remembered one:
/// resume at the remembered offset, even under another name. Same inode, other head: the inode was reused, so
/// the file is new. Shorter than the offset: truncated while not tailed, so from 0.</item>
/// <item>The flow's very first pass with no checkpoint at all and END_OF_FILE: after the file's last complete line.</item>
/// <item>Its first bytes start with the whole head of content already read (a generation ended by truncation,
/// a checkpoint, a closed file): it is a copy (copytruncate's app.log.1, a move across file systems) and starts
/// where that content was sent up to, once it is at least that long; a truncated generation's copy must also
/// hold the same bytes just before that offset. If it stays shorter for the quiet period, it holds only bytes
/// already sent and starts at its end.</item>
/// <item>Its first bytes start with the head of a file being tailed: a copy of a live file, whose bytes the
/// original delivers. It waits for the quiet period (the original may be truncated meanwhile, which makes
/// rule 3 apply) and then starts at its end, or at the original's length if it is longer.</item>
/// <item>Otherwise a new file, from offset 0.</item>
/// </list>
/// </summary>
internal sealed class FileDiscovery
{
    private readonly TailingOptions _options;
    private readonly GlobPattern _pattern;
    private readonly ContentMemory _memory;
    private readonly ConcurrentDictionary<FileKey, TrackedFile> _tracked;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Action<TrackedFile> _startReading;
    private readonly Dictionary<FileKey, (long Size, long Since)> _pending = [];
    private readonly byte[] _scratch = new byte[ContentHead.FullLength];

    public FileDiscovery(TailingOptions options, GlobPattern pattern, ContentMemory memory, ConcurrentDictionary<FileKey, TrackedFile> tracked, TimeProvider time, ILogger logger, Action<TrackedFile> startReading)
    {
        _options = options;
        _pattern = pattern;
        _memory = memory;
        _tracked = tracked;
        _time = time;
        _logger = logger;
        _startReading = startReading;
    }

    /// <param name="startAtEnd">Whether new files start after their last complete line (END_OF_FILE on a first start).</param>
    /// <param name="cancellationToken">Stops the pass between files.</param>
    public void RunPass(bool startAtEnd, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        var seen = new HashSet<FileKey>();
        var candidates = new List<(string Path, FileKey Key)>();
        foreach (var path in GlobWalker.Enumerate(_pattern))
        {
            if (!TryStat(path, out var status) || !status.IsRegularFile || !seen.Add(status.Key))
            {
                continue;
            }

            if (_tracked.TryGetValue(status.Key, out var file))
            {
                file.CurrentPath = path;
                file.Reachable = true;
                file.Size = status.Size; // a reader busy with a backlog only looks at the size at its end
            }
            else
            {
                candidates.Add((path, status.Key));
            }
        }

        foreach (var file in _tracked.Values)
        {
            if (!seen.Contains(file.Key))
            {
                file.Reachable = false;
            }
        }

        // Files that resume by inode go first, so a copy of one of them sees it as tracked, not as a checkpoint.
        candidates.Sort((a, b) => _memory.Knows(b.Key).CompareTo(_memory.Knows(a.Key)));
        var stillPending = new HashSet<FileKey>();
        foreach (var (path, key) in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            Consider(path, startAtEnd, now, stillPending);
        }

        foreach (var key in _pending.Keys.Where(k => !stillPending.Contains(k)).ToList())
        {
            _pending.Remove(key);
        }

        var keep = _options.RotatedFileQuietPeriod + (10 * _options.DiscoveryInterval) + TimeSpan.FromMinutes(1);
        _memory.Prune(_time, now, keep, TimeSpan.FromHours(1));
    }

    private void Consider(string path, bool startAtEnd, long now, HashSet<FileKey> stillPending)
    {
        SafeFileHandle handle;
        try
        {
            handle = NativeFiles.OpenRead(path);
        }
        catch (IOException e)
        {
            TailingLog.OpenFailed(_logger, path, e.Message);
            return;
        }

        var started = false;
        try
        {
            // The path may point elsewhere by now: the descriptor's identity is the one that counts.
            var status = NativeFiles.Stat(handle, path);
            if (!status.IsRegularFile || _tracked.ContainsKey(status.Key))
            {
                return;
            }

            var head = ContentHead.Read(handle, _scratch);
            var start = Decide(path, status, handle, head, startAtEnd, now, stillPending);
            if (start is null)
            {
                return;
            }

            var generation = new TailGeneration(_options.FlowId, path, start.Value.Offset, head, _options.MaxPendingRecordsPerFile, start.Value.Predecessor);
            var file = new TrackedFile(status.Key, handle, path, status.Size, generation);
            if (_tracked.TryAdd(status.Key, file))
            {
                started = true;
                TailingLog.Opened(_logger, path, status.Key, start.Value.Offset, status.Size, start.Value.Reason);
                _startReading(file);
            }
        }
        catch (IOException e)
        {
            TailingLog.OpenFailed(_logger, path, e.Message);
        }
        finally
        {
            if (!started)
            {
                handle.Dispose();
            }
        }
    }

    private Start? Decide(string path, FileStatus status, SafeFileHandle handle, ContentHead head, bool startAtEnd, long now, HashSet<FileKey> stillPending)
    {
        var size = status.Size;
        var known = _memory.Take(status.Key);
        if (known is not null)
        {
            if (known.Matches(head))
            {
                return known.Offset <= size
                    ? new Start(known.Offset, known.Generation, "resumed at its checkpoint")
                    : new Start(0, null, $"shorter than its checkpoint {known.Offset}: truncated while not tailed");
            }

            TailingLog.InodeReused(_logger, path);
        }

        if (startAtEnd)
        {
            return new Start(EndOfLastLine(handle, size), null, "initial position END_OF_FILE");
        }

        if (head.Length == 0)
        {
            return new Start(0, null, "new file");
        }

        switch (_memory.FindCopySource(head))
        {
            case RetiredGeneration retired:
                if (size >= retired.Settled)
                {
                    if (TailMatches(handle, retired))
                    {
                        return new Start(retired.Settled, retired.Generation, $"copy of {retired.Generation.Path} before it was truncated");
                    }

                    break;
                }

                return WhenQuiet(path, status, now, stillPending, new Start(size, retired.Generation, $"partial copy of {retired.Generation.Path} before it was truncated"));

            case KnownFile checkpointed:
                return size >= checkpointed.Offset
                    ? new Start(checkpointed.Offset, checkpointed.Generation, "copy of a checkpointed file")
                    : WhenQuiet(path, status, now, stillPending, new Start(size, checkpointed.Generation, "partial copy of a checkpointed file"));
        }

        foreach (var live in _tracked.Values)
        {
            var liveHead = live.Generation.Head;
            if (liveHead.Length > 0 && liveHead.IsPrefixOf(head.Bytes))
            {
                // Bytes of the copy beyond the original's current length are not in the original: send those.
                var start = Math.Min(size, live.Size);
                return WhenQuiet(path, status, now, stillPending, new Start(start, null, $"copy of {live.CurrentPath}, which is read itself"));
            }
        }

        return new Start(0, null, "new file");
    }

    /// <summary>Defers a copy decision until the file has not changed for the quiet period (a copy may be in progress).</summary>
    private Start? WhenQuiet(string path, FileStatus status, long now, HashSet<FileKey> stillPending, Start decision)
    {
        if (_options.RotatedFileQuietPeriod == TimeSpan.Zero)
        {
            return decision;
        }

        stillPending.Add(status.Key);
        if (_pending.TryGetValue(status.Key, out var pending) && pending.Size == status.Size)
        {
            if (_time.GetElapsedTime(pending.Since, now) < _options.RotatedFileQuietPeriod)
            {
                return null;
            }

            _pending.Remove(status.Key);
            return decision;
        }

        if (!_pending.ContainsKey(status.Key))
        {
            TailingLog.CopyPending(_logger, path, _options.RotatedFileQuietPeriod);
        }

        _pending[status.Key] = (status.Size, now);
        return null;
    }

    /// <summary>Whether the candidate holds the truncated generation's last sent bytes right before its offset.</summary>
    private static bool TailMatches(SafeFileHandle handle, RetiredGeneration retired)
    {
        if (retired.Settled <= retired.Head.Length || retired.Tail.Length == 0)
        {
            return true; // the head comparison covered every byte to be skipped, or nothing more is known
        }

        Span<byte> bytes = stackalloc byte[retired.Tail.Length];
        var offset = retired.Settled - retired.Tail.Length;
        var read = 0;
        while (read < bytes.Length)
        {
            var count = RandomAccess.Read(handle, bytes[read..], offset + read);
            if (count == 0)
            {
                return false;
            }

            read += count;
        }

        return bytes.SequenceEqual(retired.Tail);
    }

    /// <summary>The offset after the last '\n' (a line still being written is then sent whole once complete).</summary>
    private long EndOfLastLine(SafeFileHandle handle, long size)
    {
        var window = Math.Min(size, _options.MaxRecordBytes + 2L);
        var chunk = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var end = size;
            while (end > size - window)
            {
                var start = Math.Max(size - window, end - chunk.Length);
                var count = RandomAccess.Read(handle, chunk.AsSpan(0, (int)(end - start)), start);
                var newline = chunk.AsSpan(0, count).LastIndexOf((byte)'\n');
                if (newline >= 0)
                {
                    return start + newline + 1;
                }

                end = start;
            }

            // No line break near the end: one unfinished line (from 0 when it is the whole file).
            return window == size ? 0 : size;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private bool TryStat(string path, out FileStatus status)
    {
        try
        {
            return NativeFiles.TryStat(path, out status);
        }
        catch (IOException e)
        {
            TailingLog.OpenFailed(_logger, path, e.Message);
            status = default;
            return false;
        }
    }

    private readonly record struct Start(long Offset, TailGeneration? Predecessor, string Reason);
}
