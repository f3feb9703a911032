using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// One pass over the pattern: marks tracked files reachable or not, opens new files and decides where each
/// starts. The rules, in order, for a file not tracked yet (a device and inode not open):
/// <list type="number">
/// <item>Same inode as a checkpoint, or as a file this flow closed, and its head starts with the remembered one:
/// resume at the remembered offset, whatever its name now. Same inode but another head: the inode was reused,
/// so it is a new file. Shorter than the offset: truncated while not tailed, so from 0.</item>
/// <item>The flow's very first pass with no checkpoint at all and END_OF_FILE: after the file's last complete line.</item>
/// <item>It starts with the whole head of a generation this flow saw truncated in the last minutes, and its bytes
/// just before min(its size, where that generation was sent up to) equal the bytes the generation read there:
/// it is the copy of copytruncate. It starts where the truncated content was sent up to, or, if it stays
/// shorter (the application wrote between copy and truncate), at its end.</item>
/// <item>It starts with the whole head of a file being tailed: possibly a copy whose original is about to be
/// truncated, or was and that is not noticed yet. It waits until it has been unchanged for the quiet period
/// (at most twelve of them) for rule 3 to apply, then is read as a new file.</item>
/// <item>Its bytes so far are only the beginning of such a head (even none: a copy is created empty, then
/// filled): it waits the same way, until its bytes tell, then is judged again.</item>
/// <item>Otherwise a new file, from offset 0.</item>
/// </list>
/// A wrong match in rule 3 could skip data, so it compares bytes, not just the head; rules 4 and 5 only delay:
/// a file that merely shares its first bytes with another is read from 0 after at most the wait. Copies are recognised only within one run: after a
/// restart, a copy is read from 0 (duplicates, never loss).
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
    private readonly Dictionary<FileKey, (long Size, long FirstSeen, long Changed)> _pending = [];
    private readonly byte[] _scratch = new byte[ContentHead.FullLength];
    private readonly FileProblems _problems;
    private readonly OpenFileLimit _limit;
    private readonly HashSet<FileKey> _startAtEndLater = [];
    private bool _filesWaiting;

    public FileDiscovery(TailingOptions options, GlobPattern pattern, ContentMemory memory, ConcurrentDictionary<FileKey, TrackedFile> tracked, OpenFileLimit limit, TimeProvider time, ILogger logger, Action<TrackedFile> startReading)
    {
        _limit = limit;
        _options = options;
        _pattern = pattern;
        _memory = memory;
        _tracked = tracked;
        _time = time;
        _logger = logger;
        _startReading = startReading;
        _problems = new FileProblems(logger);
    }

    /// <param name="startAtEnd">Whether new files start after their last complete line (END_OF_FILE on a first start).</param>
    /// <param name="cancellationToken">Stops the pass between files.</param>
    public void RunPass(bool startAtEnd, CancellationToken cancellationToken)
    {
        var now = _time.GetTimestamp();
        var seen = new HashSet<FileKey>();
        var candidates = new List<(string Path, FileKey Key)>();
        var listed = GlobWalker.Enumerate(_pattern);
        _problems.RootExists(_pattern.Root, _pattern.Text, listed.Count > 0 || Directory.Exists(_pattern.Root));
        foreach (var path in listed)
        {
            if (IsCompressed(path) || !TryStat(path, out var status) || !seen.Add(status.Key))
            {
                continue;
            }

            if (!status.IsRegularFile)
            {
                _problems.Report(path, status.IsDirectory ? "it is a directory (a symbolic link to one), not a file" : "it is not a regular file (a pipe, socket or device)");
                continue;
            }

            if (_tracked.TryGetValue(status.Key, out var file))
            {
                file.CurrentPath = path;
                file.Reachable = true;
                file.Size = status.Size; // a reader busy with a backlog only looks at the size at its end
            }
            else if (!_memory.IsIdleAt(status.Key, status.Size))
            {
                candidates.Add((path, status.Key));
            }
        }

        _memory.ForgetIdleExcept(seen);

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
        var waiting = 0;
        foreach (var (path, key) in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_tracked.Count >= _options.MaxOpenFiles)
            {
                // No descriptor free: the file waits for a reader to close an idle one. Files present at a first
                // END_OF_FILE start keep that start when their turn comes.
                waiting++;
                if (startAtEnd)
                {
                    _startAtEndLater.Add(key);
                }

                continue;
            }

            Consider(path, startAtEnd || _startAtEndLater.Remove(key), now, stillPending);
        }

        _limit.Waiting(waiting);
        if ((waiting > 0) != _filesWaiting)
        {
            _filesWaiting = waiting > 0;
            if (_filesWaiting)
            {
                TailingLog.FilesWaiting(_logger, _options.FlowId, waiting, _options.MaxOpenFiles);
            }
            else
            {
                TailingLog.NoFilesWaiting(_logger, _options.FlowId, _tracked.Count);
            }
        }

        foreach (var key in _pending.Keys.Where(k => !stillPending.Contains(k)).ToList())
        {
            _pending.Remove(key);
        }

        _problems.Retain(listed.ToHashSet(StringComparer.Ordinal));

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
            _problems.Report(path, e.Message);
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
                _problems.Resolved(path);
                TailingLog.Opened(_logger, path, status.Key, start.Value.Offset, status.Size, start.Value.Reason);
                _startReading(file);
            }
        }
        catch (IOException e)
        {
            _problems.Report(path, e.Message);
        }
        finally
        {
            if (!started)
            {
                handle.Dispose();
            }
        }
    }

    /// <summary>How many first bytes a new file must share with a known one before it is suspected of being its copy.</summary>
    private const int CopyEvidenceBytes = 64;

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
            return new Start(FileProbe.EndOfLastLine(handle, size, _options.MaxRecordBytes), null, "initial position END_OF_FILE");
        }

        if (_memory.FindTruncated(head) is { } truncated)
        {
            var verified = Math.Min(size, truncated.Settled);
            if (FileProbe.EndsLike(handle, truncated, verified))
            {
                if (size >= truncated.Settled)
                {
                    return new Start(truncated.Settled, truncated.Generation, $"copy of {truncated.Generation.Path} before it was truncated");
                }

                // Shorter than what was sent: a copy still being written, or one taken before the last lines.
                return Defer(path, status, now, stillPending)
                    ? null
                    : new Start(size, truncated.Generation, $"copy of {truncated.Generation.Path} before it was truncated, holding only lines already sent");
            }
        }

        // A copy is created empty and filled (cp), so the bytes seen so far may be only the start of a known head.
        // Suspicion needs CopyEvidenceBytes identical bytes, though: a new file that is empty or nearly so is the
        // normal state right after rename/create rotation, and must be read at once, not held back.
        var sharesLiveHead = false;
        var mayBecomeCopy = false;
        if (head.Length >= CopyEvidenceBytes)
        {
            mayBecomeCopy = _memory.CouldBecomeTruncatedCopy(head);
            foreach (var live in _tracked.Values)
            {
                var liveHead = live.Generation.Head;
                sharesLiveHead |= liveHead.Length >= CopyEvidenceBytes && liveHead.IsPrefixOf(head.Bytes);
                mayBecomeCopy |= liveHead.Length > head.Length && liveHead.Bytes.StartsWith(head.Bytes);
            }
        }

        if ((sharesLiveHead || mayBecomeCopy) && Defer(path, status, now, stillPending))
        {
            return null;
        }

        return new Start(0, null, sharesLiveHead || mayBecomeCopy ? "new file (its first bytes are also another file's)" : "new file");
    }

    /// <summary>
    /// Whether to put off deciding about a file that may be a copy: until it has not changed for the quiet period
    /// (a copy of a large file takes a while), but at most twelve quiet periods (a growing file that merely
    /// shares its head must not wait for ever).
    /// </summary>
    private bool Defer(string path, FileStatus status, long now, HashSet<FileKey> stillPending)
    {
        var limit = 12 * _options.RotatedFileQuietPeriod;
        if (!_pending.TryGetValue(status.Key, out var pending))
        {
            TailingLog.CopyPending(_logger, path, limit);
            pending = (status.Size, now, now);
        }
        else if (pending.Size != status.Size)
        {
            pending = (status.Size, pending.FirstSeen, now);
        }

        var waited = _time.GetElapsedTime(pending.FirstSeen, now);
        var quiet = _time.GetElapsedTime(pending.Changed, now);
        if (waited >= limit || quiet >= _options.RotatedFileQuietPeriod)
        {
            _pending.Remove(status.Key);
            return false;
        }

        _pending[status.Key] = pending;
        stillPending.Add(status.Key);
        return true;
    }

    /// <summary>Rotated logs compressed by logrotate match wide patterns too; like the Java agent, they are never tailed.</summary>
    internal static bool IsCompressed(string path) =>
        path.EndsWith(".gz", StringComparison.Ordinal) || path.EndsWith(".bz2", StringComparison.Ordinal) || path.EndsWith(".zip", StringComparison.Ordinal);

    private bool TryStat(string path, out FileStatus status)
    {
        try
        {
            return NativeFiles.TryStat(path, out status);
        }
        catch (IOException e)
        {
            _problems.Report(path, e.Message); // a symbolic link loop (ELOOP), a directory we may not search (EACCES)
            status = default;
            return false;
        }
    }

    private readonly record struct Start(long Offset, TailGeneration? Predecessor, string Reason);
}
