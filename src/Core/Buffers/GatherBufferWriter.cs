using System.Buffers;

namespace Kinesis.Clients.Buffers;

/// <summary>
/// A buffer writer whose output is a list of segments: what is written goes into one pooled buffer, and large blobs
/// that the caller keeps unchanged until the output has been sent are referenced where they are
/// (<see cref="Borrow"/>) instead of copied. A PutRecords body of aggregates is then a few kilobytes of CBOR around
/// the aggregates' own arrays, not a second copy of up to 5 MiB per request in flight.
/// </summary>
/// <remarks>Not thread-safe. The segments are valid until <see cref="Dispose"/>.</remarks>
internal sealed class GatherBufferWriter : IBufferWriter<byte>, IDisposable
{
    /// <summary>Blobs shorter than this are copied: a segment of its own costs more than copying a few kilobytes.</summary>
    public const int MinBorrowLength = 4096;

    private readonly PooledBufferWriter _own;

    // Each part is a range of the own buffer (Borrowed empty) or a borrowed blob; ranges, not slices, because the own
    // buffer moves as it grows.
    private readonly List<(int Start, int Length, ReadOnlyMemory<byte> Borrowed)> _parts = [];
    private int _openStart;
    private long _borrowedLength;

    /// <param name="initialCapacity">What the own buffer is first rented at.</param>
    /// <param name="pool">The pool for the own buffer; <see cref="ArrayPool{T}.Shared"/> when <see langword="null"/>.</param>
    public GatherBufferWriter(int initialCapacity, ArrayPool<byte>? pool = null)
    {
        _own = new PooledBufferWriter(initialCapacity, pool);
    }

    /// <summary>All bytes written or borrowed so far.</summary>
    public long Length => _own.WrittenCount + _borrowedLength;

    /// <inheritdoc />
    public void Advance(int count) => _own.Advance(count);

    /// <inheritdoc />
    public Memory<byte> GetMemory(int sizeHint = 0) => _own.GetMemory(sizeHint);

    /// <inheritdoc />
    public Span<byte> GetSpan(int sizeHint = 0) => _own.GetSpan(sizeHint);

    /// <summary>Appends <paramref name="blob"/> by reference: it must stay unchanged until the output is sent.</summary>
    public void Borrow(ReadOnlyMemory<byte> blob)
    {
        CloseOwn();
        _parts.Add((0, 0, blob));
        _borrowedLength += blob.Length;
    }

    /// <summary>The output in order: own bytes and borrowed blobs. Call once writing is done.</summary>
    public ReadOnlyMemory<byte>[] Segments()
    {
        CloseOwn();
        var own = _own.WrittenMemory;
        var segments = new ReadOnlyMemory<byte>[_parts.Count];
        for (var i = 0; i < _parts.Count; i++)
        {
            var (start, length, borrowed) = _parts[i];
            segments[i] = length > 0 ? own.Slice(start, length) : borrowed;
        }

        return segments;
    }

    /// <summary>Returns the own buffer to its pool; borrowed blobs are the caller's.</summary>
    public void Dispose()
    {
        _parts.Clear();
        _own.Dispose();
    }

    private void CloseOwn()
    {
        var end = _own.WrittenCount;
        if (end > _openStart)
        {
            _parts.Add((_openStart, end - _openStart, default));
            _openStart = end;
        }
    }
}
