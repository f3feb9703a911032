using System.Buffers;
using Kinesis.Clients.Producer.Buffering;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Where the data of records nobody watches waits between the caller and the stream's loop: copied back to back into
/// pooled chunks rather than into an array of its own per record, so a record put with EnqueueAsync allocates nothing
/// that outlives its trip through the inbox. Callers write from any thread; the loop reads each entry once, copies
/// it into an aggregate (or into a <see cref="UserRecord"/>) and gives its bytes back; a chunk returns to the pool
/// once it is full and every byte written into it has been given back.
/// </summary>
internal sealed class InboxData
{
    /// <summary>The largest record whose data goes into a chunk; larger ones get an array of their own.</summary>
    public const int MaxEntryLength = 16 * 1024;

    private const int ChunkLength = 256 * 1024;

    private readonly StreamContext _stream;
    private readonly Lock _swap = new();

    // Rented at the first write: a pipeline whose records are all watched (a file shipper's runs) never needs one.
    private InboxChunk? _current;

    public InboxData(StreamContext stream) => _stream = stream;

    /// <summary>Copies <paramref name="data"/> (at most <see cref="MaxEntryLength"/> bytes) into a chunk.</summary>
    public InboxEntry Write(string partitionKey, string? explicitHashKey, ReadOnlySpan<byte> data, int size, FlushEpoch epoch)
    {
        var chunk = Volatile.Read(ref _current) ?? Replace(null);
        while (true)
        {
            if (chunk.TryReserve(data.Length, out var offset, out var filled))
            {
                data.CopyTo(chunk.Array.AsSpan(offset));
                return new InboxEntry(partitionKey, explicitHashKey, chunk, offset, data.Length, size, epoch);
            }

            if (filled)
            {
                // This writer's reservation was the first past the end: it alone knows how many bytes the chunk holds.
                chunk.Retire(offset);
            }

            chunk = Replace(chunk);
        }
    }

    // A new current chunk in place of the full one, unless another writer put one there already.
    private InboxChunk Replace(InboxChunk? full)
    {
        lock (_swap)
        {
            if (ReferenceEquals(_current, full))
            {
                Volatile.Write(ref _current, new InboxChunk(_stream, ChunkLength));
            }

            return _current!;
        }
    }
}

/// <summary>One pooled chunk of <see cref="InboxData"/>: written by reservation, given back byte by byte.</summary>
internal sealed class InboxChunk
{
    // Bytes not yet given back, plus Open while writers may still reserve: the chunk returns to the pool when it
    // reaches zero, which only happens after Retire.
    private const long Open = long.MaxValue / 2;

    private long _reserved;
    private long _outstanding = Open;
    private int _returned;

    public InboxChunk(StreamContext stream, int length)
    {
        Stream = stream;
        Array = ArrayPool<byte>.Shared.Rent(length);
    }

    /// <summary>The stream whose records it holds (a record made from an entry belongs to it).</summary>
    public StreamContext Stream { get; }

    public byte[] Array { get; }

    /// <summary>Whether the chunk went back to the pool (full, and every byte given back).</summary>
    public bool IsReturned => Volatile.Read(ref _returned) != 0;

    /// <summary>
    /// Reserves <paramref name="length"/> bytes at <paramref name="offset"/>; when they do not fit, says whether this
    /// reservation was the first not to (<paramref name="filled"/>, with <paramref name="offset"/> then the bytes the
    /// chunk holds).
    /// </summary>
    public bool TryReserve(int length, out int offset, out bool filled)
    {
        var end = Interlocked.Add(ref _reserved, length);
        var start = end - length;
        offset = (int)Math.Min(start, int.MaxValue);
        filled = start <= Array.Length && end > Array.Length;
        return end <= Array.Length;
    }

    /// <summary>No more writes: the chunk holds <paramref name="written"/> bytes.</summary>
    public void Retire(int written) => Settle(written - Open);

    /// <summary>Gives back <paramref name="length"/> bytes read out of the chunk.</summary>
    public void Release(int length) => Settle(-length);

    private void Settle(long change)
    {
        // An empty record gives nothing back: it must not return the chunk a second time.
        if (change != 0 && Interlocked.Add(ref _outstanding, change) == 0)
        {
            if (Interlocked.Exchange(ref _returned, 1) != 0)
            {
                throw new InvalidOperationException("An inbox chunk was given back more bytes than were written into it.");
            }

            ArrayPool<byte>.Shared.Return(Array);
        }
    }
}

/// <summary>
/// A record nobody watches on its way through a stream's inbox, its data in an <see cref="InboxChunk"/>. Whoever
/// reads it out of the inbox uses it once (copies its data into an aggregate, or makes a user record of it with
/// <see cref="ToRecord"/>) and then gives its bytes back: <see cref="Release"/>, or the loop's <see cref="InboxReleases"/>.
/// </summary>
/// <remarks>
/// It carries no acceptance time: the loop stamps it when it takes the entry in, as the KPL stamps a record's arrival
/// when its core takes it in, not when the caller put it. Reading the clock once per loop turn instead of once per
/// record was 4 % of the producer's CPU.
/// </remarks>
internal readonly record struct InboxEntry(
    string PartitionKey, string? ExplicitHashKey, InboxChunk Chunk, int Offset, int Length, int Size, FlushEpoch Epoch)
{
    public ReadOnlySpan<byte> Data => Chunk.Array.AsSpan(Offset, Length);

    /// <summary>Gives the entry's bytes back to its chunk; the entry is not to be read again.</summary>
    public void Release() => Chunk.Release(Length);

    /// <summary>A user record of its own made of the entry (its data copied), accepted at <paramref name="acceptedAt"/>.</summary>
    public UserRecord ToRecord(long acceptedAt) => new(Chunk.Stream, PartitionKey, ExplicitHashKey, Data, Size, acceptedAt, Epoch, awaited: false);
}

/// <summary>
/// The bytes the loop has read out of inbox chunks, given back per run of entries from one chunk instead of one
/// interlocked operation per record (whose cache line the writers of that chunk also use). Owned by the loop.
/// </summary>
internal struct InboxReleases
{
    private InboxChunk? _chunk;
    private int _bytes;

    /// <summary>Counts an entry read and used.</summary>
    public void Add(in InboxEntry entry)
    {
        if (!ReferenceEquals(entry.Chunk, _chunk))
        {
            Flush();
            _chunk = entry.Chunk;
        }

        _bytes += entry.Length;
    }

    /// <summary>Gives back what was counted (at the end of each turn of the loop, so full chunks return promptly).</summary>
    public void Flush()
    {
        if (_chunk is { } chunk)
        {
            _chunk = null;
            var bytes = _bytes;
            _bytes = 0;
            chunk.Release(bytes);
        }
    }
}
