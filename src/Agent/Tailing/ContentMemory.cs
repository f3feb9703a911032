using Kinesis.Clients.Agent.Checkpoints;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// What a flow knows about file contents it is not reading right now: checkpoints from before a restart,
/// files it closed (rotated away, deleted), and generations ended by truncation. Consulted when a new file is
/// found, to resume it or to recognise it as a copy of bytes already sent.
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

    /// <summary>Adds a file this flow stopped reading at <paramref name="offset"/>.</summary>
    public void RememberClosed(FileKey key, TailGeneration generation, long offset, long timestamp)
    {
        var head = generation.Head;
        lock (_gate)
        {
            _byKey[key] = new KnownFile(head.Hash, head.Length, head, offset, generation, timestamp);
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

    /// <summary>Adds a generation whose file was truncated after <paramref name="settled"/> bytes were sent.</summary>
    public void Retire(TailGeneration generation, long settled, ReadOnlySpan<byte> tail, long timestamp)
    {
        var retired = new RetiredGeneration(generation, generation.Head, settled, tail.ToArray(), timestamp);
        lock (_gate)
        {
            _retired.Add(retired);
        }
    }

    /// <summary>
    /// The most specific source whose whole head the candidate starts with: a truncated generation first, then a
    /// checkpoint or closed file. Checkpoints with a partial head qualify only if their offset lies within it,
    /// so that every skipped byte was compared.
    /// </summary>
    public object? FindCopySource(ContentHead candidate)
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

            KnownFile? best = null;
            foreach (var known in _byKey.Values)
            {
                if (known.Length > 0 && (known.Length == ContentHead.FullLength || known.Offset <= known.Length) &&
                    known.Matches(candidate) && (best is null || known.Offset > best.Offset))
                {
                    best = known;
                }
            }

            return best;
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
                if (known.Generation is not null && time.GetElapsedTime(known.Timestamp, now) > closedFor)
                {
                    _byKey.Remove(key);
                }
            }
        }
    }
}

/// <summary>A file known by device and inode: its head (hash, and bytes if this process read it) and where to resume.</summary>
internal sealed record KnownFile(ulong Hash, int Length, ContentHead? Head, long Offset, TailGeneration? Generation, long Timestamp)
{
    /// <summary>Whether <paramref name="candidate"/> starts with the remembered head.</summary>
    public bool Matches(ContentHead candidate) =>
        Head is not null
            ? Head.IsPrefixOf(candidate.Bytes)
            : candidate.Length >= Length && ContentHead.HashOf(candidate.Bytes[..Length]) == Hash;
}

/// <summary>A generation ended by truncation: its head, how far it was sent, and the bytes just before that.</summary>
internal sealed record RetiredGeneration(TailGeneration Generation, ContentHead Head, long Settled, byte[] Tail, long Timestamp);
