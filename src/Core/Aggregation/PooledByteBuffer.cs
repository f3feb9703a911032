using System.Buffers;

namespace Kinesis.Clients.Aggregation;

/// <summary>A growable byte buffer on a pool (<see cref="ArrayPool{T}.Shared"/> by default), kept across resets so reuse allocates nothing.</summary>
internal sealed class PooledByteBuffer(ArrayPool<byte>? pool = null) : IDisposable
{
    private const int MinimumCapacity = 256;

    private readonly ArrayPool<byte> _pool = pool ?? ArrayPool<byte>.Shared;

    private byte[] _buffer = [];

    /// <summary>What the first rent after creation or <see cref="Dispose"/> asks for (grown by doubling after that).</summary>
    public int InitialCapacity { get; init; } = MinimumCapacity;

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, Length);

    /// <summary>Returns at least <paramref name="size"/> writable bytes after the written ones.</summary>
    public Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - Length < size)
        {
            Grow(size);
        }

        return _buffer.AsSpan(Length, size);
    }

    /// <summary>Marks <paramref name="count"/> bytes from the last <see cref="GetSpan"/> as written.</summary>
    public void Advance(int count) => Length += count;

    /// <summary>Forgets the written bytes and keeps the array.</summary>
    public void Clear() => Length = 0;

    /// <summary>Returns the array to the pool; the buffer rents a new one if written again.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        Length = 0;
        if (buffer.Length > 0)
        {
            _pool.Return(buffer);
        }
    }

    private void Grow(int size)
    {
        var required = (long)Length + size;
        if (required > Array.MaxLength)
        {
            throw new InvalidOperationException($"An aggregate cannot exceed {Array.MaxLength} bytes; {required} were needed.");
        }

        var capacity = (int)Math.Min(Array.MaxLength, Math.Max(required, Math.Max(InitialCapacity, (long)_buffer.Length * 2)));
        var next = _pool.Rent(capacity);
        WrittenSpan.CopyTo(next);
        var previous = _buffer;
        _buffer = next;
        if (previous.Length > 0)
        {
            _pool.Return(previous);
        }
    }
}
