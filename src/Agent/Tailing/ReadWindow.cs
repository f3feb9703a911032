using System.Buffers;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// The bytes of one file generation held for framing: one pooled buffer that reads append to, grown up to a bound,
/// moved to the front as records leave it, and given back to the pool while empty. It knows which file offset each
/// position stands for and keeps the last bytes read (<see cref="RecentBytes"/>) for copytruncate detection.
/// </summary>
internal sealed class ReadWindow : IDisposable
{
    private readonly int _readChunk;
    private readonly int _maxCapacity;
    private readonly RecentBytes _recent = new();
    private byte[] _buffer = [];

    /// <param name="readChunk">The most bytes one read asks for.</param>
    /// <param name="maxCapacity">The most the buffer grows to: what the framer may have to hold plus one read.</param>
    public ReadWindow(int readChunk, int maxCapacity)
    {
        _readChunk = readChunk;
        _maxCapacity = maxCapacity;
    }

    /// <summary>The buffer; bytes [0, <see cref="Filled"/>) are valid.</summary>
    public byte[] Buffer => _buffer;

    /// <summary>How many bytes of <see cref="Buffer"/> hold file content.</summary>
    public int Filled { get; private set; }

    /// <summary>The file offset the next read starts at, that of <c>Buffer[Filled]</c>.</summary>
    public long ReadPosition { get; private set; }

    /// <summary>The file offset of a buffer position.</summary>
    public long FileOffset(int position) => ReadPosition - (Filled - position);

    /// <summary>Empties the window; the next read is at <paramref name="offset"/>.</summary>
    public void Reset(long offset)
    {
        Filled = 0;
        ReadPosition = offset;
        _recent.Reset(offset);
    }

    /// <summary>A copy of the last bytes read (up to 32 KiB, ending at <see cref="ReadPosition"/>) and where they start.</summary>
    public byte[] RecentBytes(out long start) => _recent.Snapshot(out start);

    /// <summary>
    /// Keeps only two regions, moved to the front one after the other: [<paramref name="firstStart"/>, +<paramref name="firstLength"/>)
    /// then [<paramref name="secondStart"/>, +<paramref name="secondLength"/>). Everything else is dropped.
    /// </summary>
    public void KeepOnly(int firstStart, int firstLength, int secondStart, int secondLength)
    {
        if (firstLength > 0 && firstStart > 0)
        {
            _buffer.AsSpan(firstStart, firstLength).CopyTo(_buffer);
        }

        if (secondLength > 0 && secondStart != firstLength)
        {
            _buffer.AsSpan(secondStart, secondLength).CopyTo(_buffer.AsSpan(firstLength));
        }

        Filled = firstLength + secondLength;
    }

    /// <summary>Makes room (renting or growing the buffer) and returns where the next read goes.</summary>
    public Memory<byte> PrepareRead()
    {
        if (_buffer.Length == 0)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(_readChunk);
        }

        // Grown only when less than half a read fits: the unfinished line left after each batch would otherwise
        // double every buffer at its second read (a 512 KiB array per busy file, and the 256 KiB one left in the pool).
        if (_buffer.Length - Filled < _readChunk / 2 && _buffer.Length < _maxCapacity)
        {
            var grown = ArrayPool<byte>.Shared.Rent(Math.Min(_maxCapacity, Math.Max(_buffer.Length * 2, Filled + _readChunk)));
            _buffer.AsSpan(0, Filled).CopyTo(grown);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = grown;
        }

        return _buffer.AsMemory(Filled, Math.Min(_buffer.Length - Filled, _readChunk));
    }

    /// <summary>Takes <paramref name="count"/> bytes just read into the space <see cref="PrepareRead"/> returned.</summary>
    public void Advance(int count)
    {
        _recent.Record(_buffer.AsSpan(Filled, count));
        Filled += count;
        ReadPosition += count;
    }

    /// <summary>Gives the buffer back to the pool if it holds nothing; the next <see cref="PrepareRead"/> rents again.</summary>
    public void ReleaseIfEmpty()
    {
        if (Filled == 0 && _buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }

    public void Dispose()
    {
        var buffer = Interlocked.Exchange(ref _buffer, []);
        if (buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
