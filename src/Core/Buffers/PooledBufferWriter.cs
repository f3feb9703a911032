using System.Buffers;

namespace Kinesis.Clients.Buffers;

/// <summary>
/// A growable <see cref="IBufferWriter{T}"/> over arrays rented from a pool (the shared one unless given). The array
/// is rented on the first write and kept across <see cref="Clear"/>, so a reused writer allocates nothing; after
/// <see cref="Dispose"/> it is back in the pool, and a later write rents a new one.
/// </summary>
/// <remarks>Not thread-safe.</remarks>
internal sealed class PooledBufferWriter : IBufferWriter<byte>, IDisposable
{
    private const int MinimumCapacity = 256;

    private readonly ArrayPool<byte> _pool;
    private byte[] _buffer = [];
    private int _written;

    /// <param name="initialCapacity">What the first rent asks for at least; grown by doubling after that.</param>
    /// <param name="pool">The pool to rent from; <see cref="ArrayPool{T}.Shared"/> when <see langword="null"/>.</param>
    public PooledBufferWriter(int initialCapacity = MinimumCapacity, ArrayPool<byte>? pool = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(initialCapacity);
        InitialCapacity = Math.Max(initialCapacity, MinimumCapacity);
        _pool = pool ?? ArrayPool<byte>.Shared;
    }

    /// <summary>What the first rent after creation or <see cref="Dispose"/> asks for at least.</summary>
    public int InitialCapacity { get; }

    /// <summary>Bytes written so far.</summary>
    public int WrittenCount => _written;

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    /// <summary>The bytes written so far; valid until the next write, <see cref="Clear"/> or <see cref="Dispose"/>.</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _written);

    /// <summary>The bytes written so far, as the array segment <see cref="ByteArrayContent"/> takes.</summary>
    public ArraySegment<byte> WrittenSegment => new(_buffer, 0, _written);

    /// <inheritdoc />
    public void Advance(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (_written + count > _buffer.Length)
        {
            throw new InvalidOperationException($"Cannot advance {count} bytes past the end of the buffer ({_buffer.Length - _written} left).");
        }

        _written += count;
    }

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Forgets the written bytes and keeps the array.</summary>
    public void Clear() => _written = 0;

    /// <summary>Returns the array to the pool; the writer rents a new one if written again.</summary>
    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _written = 0;
        if (buffer.Length > 0)
        {
            _pool.Return(buffer);
        }
    }

    private void Ensure(int sizeHint)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(sizeHint);
        var required = (long)_written + Math.Max(sizeHint, 1);
        if (required <= _buffer.Length)
        {
            return;
        }

        if (required > Array.MaxLength)
        {
            throw new InvalidOperationException($"A buffer cannot exceed {Array.MaxLength} bytes; {required} were needed.");
        }

        var capacity = (int)Math.Min(Array.MaxLength, Math.Max(required, Math.Max(InitialCapacity, (long)_buffer.Length * 2)));
        var grown = _pool.Rent(capacity);
        WrittenSpan.CopyTo(grown);
        var previous = _buffer;
        _buffer = grown;
        if (previous.Length > 0)
        {
            _pool.Return(previous);
        }
    }
}
