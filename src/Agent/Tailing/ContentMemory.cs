using Kinesis.Clients.Agent.Checkpoints;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// What a flow knows about file contents it is not reading right now: checkpoints from before a restart and
/// files it closed (rotated away, deleted), found again by device and inode; and generations ended by
/// truncation, whose copies (copytruncate) are recognised by content.
/// </summary>
internal sealed class ContentMemory
{
    private readonly Lock _gate = new();
    private readonly Dictionary<FileKey, KnownFile> _byKey = [];
    private readonly List<RetiredGeneration> _retired = [];

    /// <summary>Whether any checkpoint or closed file is known by this device and inode.</summary>
    public bool Knows(FileKey key)
    {
        lock (_gate)
        {
            return _byKey.ContainsKey(key);
        }
    }

    /// <summary>Adds a checkpoint loaded from the store.</summary>
    public void Remember(FileCheckpoint checkpoint, long timestamp)
    {
        lock (_gate)
        {
            _byKey[new FileKey(checkpoint.Device, checkpoint.Inode)] =
                new KnownFile(checkpoint.Fingerprint, checkpoint.FingerprintLength, null, checkpoint.Offset, null, timestamp);
        }
    }

    /// <summary>
    /// Adds a file this flow stopped reading at <paramref name="offset"/>. <paramref name="idleSize"/> is its size when
    /// it was closed only to free a descriptor while still reachable: it is kept (not pruned by age) while the
    /// pattern lists it, and not opened again until it grows past that size.
    /// </summary>
    public void RememberClosed(FileKey key, TailGeneration generation, long offset, long timestamp, long? idleSize = null)
    {
        var head = generation.Head;
        lock (_gate)
        {
            _byKey[key] = new KnownFile(head.Hash, head.Length, head, offset, generation, timestamp, idleSize);
        }
    }

    /// <summary>Whether the file was closed while idle and is still <paramref name="size"/> bytes long: nothing to read.</summary>
    public bool IsIdleAt(FileKey key, long size)
    {
        lock (_gate)
        {
            return _byKey.TryGetValue(key, out var known) && known.IdleSize == size;
        }
    }

    /// <summary>Forgets files closed while idle that the pattern no longer lists (deleted or renamed away).</summary>
    public void ForgetIdleExcept(IReadOnlySet<FileKey> listed)
    {
        lock (_gate)
        {
            foreach (var (key, known) in _byKey.ToList())
            {
                if (known.IdleSize is not null && !listed.Contains(key))
                {
                    _byKey.Remove(key);
                }
            }
        }
    }

    /// <summary>Removes and returns what is known under <paramref name="key"/>: each memory resumes one file once.</summary>
    public KnownFile? Take(FileKey key)
    {
        lock (_gate)
        {
            return _byKey.Remove(key, out var known) ? known : null;
        }
    }

    /// <summary>
    /// Adds a generation whose file was truncated after <paramref name="settled"/> bytes were sent, with the last
    /// bytes it read (<paramref name="window"/>, starting at offset <paramref name="windowStart"/>).
    /// </summary>
    public void Retire(TailGeneration generation, long settled, byte[] window, long windowStart, long timestamp)
    {
        var retired = new RetiredGeneration(generation, generation.Head, settled, window, windowStart, timestamp);
        lock (_gate)
        {
            _retired.Add(retired);
        }
    }

    /// <summary>The most recently truncated generation whose whole (non-empty) head the candidate starts with.</summary>
    public RetiredGeneration? FindTruncated(ContentHead candidate)
    {
        lock (_gate)
        {
            for (var i = _retired.Count - 1; i >= 0; i--)
            {
                var retired = _retired[i];
                if (retired.Head.Length > 0 && retired.Head.IsPrefixOf(candidate.Bytes))
                {
                    return retired;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// Whether the candidate's bytes so far (it may be a copy still being written, even empty) are the beginning
    /// of a truncated generation's longer head.
    /// </summary>
    public bool CouldBecomeTruncatedCopy(ContentHead candidate)
    {
        lock (_gate)
        {
            return _retired.Exists(r => r.Head.Length > candidate.Length && r.Head.Bytes.StartsWith(candidate.Bytes));
        }
    }

    /// <summary>Forgets truncated generations and closed files older than the given ages.</summary>
    public void Prune(TimeProvider time, long now, TimeSpan retiredFor, TimeSpan closedFor)
    {
        lock (_gate)
        {
            _retired.RemoveAll(r => time.GetElapsedTime(r.Timestamp, now) > retiredFor);
            foreach (var (key, known) in _byKey.ToList())
            {
                if (known.Generation is not null && known.IdleSize is null && time.GetElapsedTime(known.Timestamp, now) > closedFor)
                {
                    _byKey.Remove(key);
                }
            }
        }
    }
}

/// <summary>A file known by device and inode: its head (hash, and bytes if this process read it) and where to resume.</summary>
internal sealed record KnownFile(ulong Hash, int Length, ContentHead? Head, long Offset, TailGeneration? Generation, long Timestamp, long? IdleSize = null)
{
    /// <summary>Whether <paramref name="candidate"/> starts with the remembered head.</summary>
    public bool Matches(ContentHead candidate) =>
        Head is not null
            ? Head.IsPrefixOf(candidate.Bytes)
            : candidate.Length >= Length && ContentHead.HashOf(candidate.Bytes[..Length]) == Hash;
}

/// <summary>A generation ended by truncation: its head, how far it was sent, and the last bytes it read.</summary>
internal sealed record RetiredGeneration(TailGeneration Generation, ContentHead Head, long Settled, byte[] Window, long WindowStart, long Timestamp)
{
    /// <summary>Where the window ends: the generation's read position when it was truncated.</summary>
    public long WindowEnd => WindowStart + Window.Length;
}
