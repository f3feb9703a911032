namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// The last 32 KiB read from a file, kept so that after a truncation a copy of the old content (copytruncate)
/// can be compared byte for byte near the point it would continue from. Byte at offset o lives at o % 32 KiB.
/// </summary>
internal sealed class RecentBytes
{
    private const int Capacity = 32 * 1024;

    private byte[] _ring = []; // allocated on first use: files never read cost nothing
    private long _end;
    private int _length;

    /// <summary>Forgets everything; the next bytes recorded start at <paramref name="offset"/>.</summary>
    public void Reset(long offset)
    {
        _end = offset;
        _length = 0;
    }

    /// <summary>Records bytes just read at the current end; a bounded copy (at most 32 KiB), nothing per line.</summary>
    public void Record(ReadOnlySpan<byte> data)
    {
        if (_ring.Length == 0)
        {
            _ring = new byte[Capacity];
        }

        var offset = _end;
        _end += data.Length;
        _length = (int)Math.Min(Capacity, _length + (long)data.Length);
        if (data.Length > Capacity)
        {
            offset += data.Length - Capacity;
            data = data[^Capacity..];
        }

        var index = (int)(offset % Capacity);
        var first = Math.Min(data.Length, Capacity - index);
        data[..first].CopyTo(_ring.AsSpan(index));
        data[first..].CopyTo(_ring);
    }

    /// <summary>A copy of what is held and the file offset it starts at (it ends where reading stands).</summary>
    public byte[] Snapshot(out long start)
    {
        start = _end - _length;
        if (_length == 0)
        {
            return [];
        }

        var copy = new byte[_length];
        var index = (int)(start % Capacity);
        var first = Math.Min(_length, Capacity - index);
        _ring.AsSpan(index, first).CopyTo(copy);
        _ring.AsSpan(0, _length - first).CopyTo(copy.AsSpan(first));
        return copy;
    }
}
