namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// A file's first bytes (up to <see cref="FullLength"/>) and their hash: the content half of a file's identity.
/// A shorter head belongs to a file that was shorter when read; it is extended as the file grows, and growth
/// is told from replacement by the old head still being a prefix of the new one.
/// </summary>
internal sealed class ContentHead
{
    /// <summary>
    /// 1 KiB: long enough that two different logs practically never share it (their first lines carry
    /// timestamps), short enough to read on every check.
    /// </summary>
    public const int FullLength = 1024;

    private readonly byte[] _bytes;

    public ContentHead(ReadOnlySpan<byte> bytes)
    {
        _bytes = bytes[..Math.Min(bytes.Length, FullLength)].ToArray();
        Hash = HashOf(_bytes);
    }

    /// <summary>The empty head of an empty file.</summary>
    public static ContentHead Empty { get; } = new([]);

    public ReadOnlySpan<byte> Bytes => _bytes;

    public int Length => _bytes.Length;

    public bool IsFull => _bytes.Length == FullLength;

    /// <summary>The 64-bit FNV-1a hash of the bytes: stable across processes, stored in checkpoints.</summary>
    public ulong Hash { get; }

    /// <summary>Whether <paramref name="content"/> (a file's first bytes) starts with this whole head.</summary>
    public bool IsPrefixOf(ReadOnlySpan<byte> content) =>
        content.Length >= _bytes.Length && content[.._bytes.Length].SequenceEqual(_bytes);

    /// <summary>Reads up to <see cref="FullLength"/> bytes from the start of an open file.</summary>
    public static ContentHead Read(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> scratch)
    {
        var count = ReadPrefix(handle, scratch);
        return count == 0 ? Empty : new ContentHead(scratch[..count]);
    }

    /// <summary>Fills as much of <paramref name="scratch"/> (at most <see cref="FullLength"/>) as the file has from offset 0.</summary>
    public static int ReadPrefix(Microsoft.Win32.SafeHandles.SafeFileHandle handle, Span<byte> scratch)
    {
        var target = scratch[..Math.Min(scratch.Length, FullLength)];
        var total = 0;
        while (total < target.Length)
        {
            var read = RandomAccess.Read(handle, target[total..], total);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }

    /// <summary>64-bit FNV-1a; not cryptographic, only needs to tell honest files apart.</summary>
    public static ulong HashOf(ReadOnlySpan<byte> bytes)
    {
        var hash = 14695981039346656037UL;
        foreach (var b in bytes)
        {
            hash = (hash ^ b) * 1099511628211UL;
        }

        return hash;
    }
}
