namespace Kinesis.Clients.Soak;

/// <summary>
/// What was delivered of one numbered series of records (a producer key, or the agent's lines), indexed by the
/// record's sequence number in its series: how often, first when (monotonic ns), at which stream position first.
/// </summary>
internal sealed class RecordTable
{
    private int _length;

    public int Length => _length;

    public int[] Deliveries { get; private set; } = new int[1024];

    public long[] FirstMono { get; private set; } = new long[1024];

    /// <summary>Hash of the first stream position (shard, sequence number, sub-sequence number).</summary>
    public int[] FirstPosition { get; private set; } = new int[1024];

    public int[] FirstShard { get; private set; } = new int[1024];

    public int[] FirstProcessor { get; private set; } = new int[1024];

    /// <summary>The partition key of the first delivery (agent: the file's path), as an index.</summary>
    public int[] FirstKey { get; private set; } = new int[1024];

    /// <summary>The agent's file generation (0 for producer records).</summary>
    public int[] Generation { get; private set; } = new int[1024];

    public long[] WrittenUnixMs { get; private set; } = new long[1024];

    public int[] LatencyMs { get; private set; } = new int[1024];

    public void EnsureLength(int length)
    {
        if (length <= _length)
        {
            return;
        }

        if (length > Deliveries.Length)
        {
            var size = Math.Max(length, Deliveries.Length * 2);
            Deliveries = Grow(Deliveries, size);
            FirstMono = Grow(FirstMono, size);
            FirstPosition = Grow(FirstPosition, size);
            FirstShard = Grow(FirstShard, size);
            FirstProcessor = Grow(FirstProcessor, size);
            FirstKey = Grow(FirstKey, size);
            Generation = Grow(Generation, size);
            WrittenUnixMs = Grow(WrittenUnixMs, size);
            LatencyMs = Grow(LatencyMs, size);
        }

        _length = length;
    }

    public bool Delivered(int seq) => seq < _length && Deliveries[seq] > 0;

    private static T[] Grow<T>(T[] array, int size)
    {
        var grown = new T[size];
        Array.Copy(array, grown, array.Length);
        return grown;
    }
}
