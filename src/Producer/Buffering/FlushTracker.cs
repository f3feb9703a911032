namespace Kinesis.Clients.Producer.Buffering;

/// <summary>
/// A stream's flushes: the current <see cref="FlushEpoch"/> that accepted records count into (callers' threads),
/// and the epoch the stream's loop is flushing until it drains (the loop's thread only).
/// </summary>
internal sealed class FlushTracker
{
    private readonly object _lock = new();
    private FlushEpoch _epoch = new(null);
    private FlushEpoch? _flushing;

    /// <summary>
    /// While a flush waits for its records, everything is sealed and sent at once: the flushed records may
    /// still be on their way in (no shard map yet, or re-routed), so this holds until they have all completed.
    /// Read by the loop only.
    /// </summary>
    public bool Pending
    {
        get
        {
            if (_flushing is { } epoch && epoch.Drained.IsCompleted)
            {
                _flushing = null;
            }

            return _flushing is not null;
        }
    }

    /// <summary>Counts a record into the current epoch; called before the record is posted.</summary>
    public FlushEpoch Enter()
    {
        while (true)
        {
            var epoch = Volatile.Read(ref _epoch);
            epoch.Enter();
            if (!epoch.IsClosed)
            {
                return epoch;
            }

            // A flush closed it in between: this record belongs to the next epoch.
            epoch.Exit();
        }
    }

    /// <summary>Closes the current epoch (later records go into a new one) and returns it, for the loop to flush.</summary>
    public FlushEpoch Close()
    {
        lock (_lock)
        {
            var closing = _epoch;
            Volatile.Write(ref _epoch, new FlushEpoch(closing));
            closing.Close();
            return closing;
        }
    }

    /// <summary>The loop starts flushing <paramref name="epoch"/>: <see cref="Pending"/> until it drains.</summary>
    public void Begin(FlushEpoch epoch) => _flushing = epoch;
}
