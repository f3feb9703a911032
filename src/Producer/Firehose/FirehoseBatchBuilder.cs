namespace Kinesis.Clients.Producer.Firehose;

/// <summary>
/// Packs a delivery stream's records, in order, into PutRecordBatch requests (at most CollectionMaxCount records and
/// CollectionMaxSize bytes) and, when joining is on, consecutive records into Firehose records of at most
/// AggregatedRecordSizeBytes: the Amazon Kinesis Agent's rule, in which a joined record holds whole records only and
/// one record larger than the size travels alone. Pure logic, no I/O.
/// </summary>
internal sealed class FirehoseBatchBuilder
{
    private readonly int _joinSize;
    private readonly int _maxCount;
    private readonly int _maxBytes;
    private List<FirehoseRecordItem> _items = [];
    private List<FirehoseUserRecord> _open = [];
    private long _openBytes;
    private long _sealedBytes;

    public FirehoseBatchBuilder(int joinSize, int maxCount, int maxBytes)
    {
        _joinSize = joinSize;
        _maxCount = maxCount;
        _maxBytes = maxBytes;
    }

    public bool IsEmpty => _items.Count == 0 && _open.Count == 0;

    /// <summary>When the oldest record held was accepted; meaningful only when not <see cref="IsEmpty"/>.</summary>
    public long OldestAcceptedAt { get; private set; }

    /// <summary>Adds a record; returns a full batch that must be sent before it, or <see langword="null"/>.</summary>
    public List<FirehoseRecordItem>? Add(FirehoseUserRecord record)
    {
        List<FirehoseRecordItem>? full = null;
        var length = record.Data.Length;
        if (_joinSize > 0 && _open.Count > 0)
        {
            var separator = _open[^1].EndsWithNewline ? 0 : 1;
            if (_openBytes + separator + length <= _joinSize)
            {
                if (_sealedBytes + _openBytes + separator + length > _maxBytes)
                {
                    full = TakeBatch();
                    Start(record);
                    return full;
                }

                _open.Add(record);
                _openBytes += separator + length;
                return null;
            }
        }

        if (_open.Count > 0)
        {
            Seal();
        }

        if (_items.Count + 1 > _maxCount || _sealedBytes + length > _maxBytes)
        {
            full = TakeBatch();
        }

        Start(record);
        return full;
    }

    /// <summary>Everything held, as one batch (empty when nothing is held).</summary>
    public List<FirehoseRecordItem> TakeBatch()
    {
        if (_open.Count > 0)
        {
            Seal();
        }

        var batch = _items;
        _items = [];
        _sealedBytes = 0;
        return batch;
    }

    /// <summary>The bytes of joined records: back to back, a newline after any record but the last not ending in one.</summary>
    internal static byte[] Join(List<FirehoseUserRecord> records, long size)
    {
        var joined = new byte[size];
        var at = 0;
        for (var i = 0; i < records.Count; i++)
        {
            records[i].Data.CopyTo(joined, at);
            at += records[i].Data.Length;
            if (i < records.Count - 1 && !records[i].EndsWithNewline)
            {
                joined[at++] = (byte)'\n';
            }
        }

        return joined;
    }

    private void Start(FirehoseUserRecord record)
    {
        if (IsEmpty)
        {
            OldestAcceptedAt = record.AcceptedAt;
        }

        _open = [record];
        _openBytes = record.Data.Length;
    }

    private void Seal()
    {
        var data = _open.Count == 1 ? _open[0].Data : Join(_open, _openBytes);
        _items.Add(new FirehoseRecordItem(_open, data, _open[0].AcceptedAt));
        _sealedBytes += _openBytes;
        _open = [];
        _openBytes = 0;
    }
}
