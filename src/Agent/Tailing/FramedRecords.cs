namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// Consecutive records of one read as a sink receives them: slices of the reader's buffer, valid only until the
/// sink's write completes.
/// </summary>
internal readonly struct FramedRecords
{
    private readonly byte[] _buffer;
    private readonly RecordBatch _batch;
    private readonly int _first;

    public FramedRecords(byte[] buffer, RecordBatch batch, int first, int count)
    {
        _buffer = buffer;
        _batch = batch;
        _first = first;
        Count = count;
    }

    public int Count { get; }

    public ReadOnlyMemory<byte> this[int index] => _buffer.AsMemory(_batch.Start(_first + index), _batch.Length(_first + index));
}
