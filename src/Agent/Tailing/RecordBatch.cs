namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// The records framed from one read: slices of the framer's buffer and the file offsets they end at.
/// Reused from read to read, so framing allocates nothing per line.
/// </summary>
internal sealed class RecordBatch
{
    private int[] _starts = new int[256];
    private int[] _lengths = new int[256];
    private long[] _ends = new long[256];

    public int Count { get; private set; }

    public ReadOnlySpan<long> EndOffsets => _ends.AsSpan(0, Count);

    public int Start(int index) => _starts[index];

    public int Length(int index) => _lengths[index];

    public long EndOffset(int index) => _ends[index];

    public void Add(int start, int length, long endOffset)
    {
        if (Count == _starts.Length)
        {
            Array.Resize(ref _starts, Count * 2);
            Array.Resize(ref _lengths, Count * 2);
            Array.Resize(ref _ends, Count * 2);
        }

        _starts[Count] = start;
        _lengths[Count] = length;
        _ends[Count] = endOffset;
        Count++;
    }

    public void Clear() => Count = 0;

    /// <summary>Drops arrays grown by a read of many short lines, once the batch is empty.</summary>
    public void Trim()
    {
        if (Count == 0 && _starts.Length > 256)
        {
            _starts = new int[256];
            _lengths = new int[256];
            _ends = new long[256];
        }
    }
}
