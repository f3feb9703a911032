namespace Kinesis.Clients.Consumer.Retrieval;

/// <summary>
/// What a reader holds ahead of its consumer, in batches, user records and data bytes, and a wait for room.
/// The reader waits for room before each read and adds what it read; the consumer releases a batch when it
/// comes back for the next, so the batch being processed still counts.
/// </summary>
internal sealed class PrefetchBudget
{
    private readonly Lock _gate = new();
    private readonly int _maxBatches;
    private readonly long _maxRecords;
    private readonly long _maxBytes;
    private int _batches;
    private long _records;
    private long _bytes;
    private TaskCompletionSource? _room;

    public PrefetchBudget(int maxBatches, long maxRecords, long maxBytes)
    {
        _maxBatches = maxBatches;
        _maxRecords = maxRecords;
        _maxBytes = maxBytes;
    }

    /// <summary>Batches held.</summary>
    public int Batches
    {
        get
        {
            lock (_gate)
            {
                return _batches;
            }
        }
    }

    /// <summary>User records held.</summary>
    public long Records
    {
        get
        {
            lock (_gate)
            {
                return _records;
            }
        }
    }

    /// <summary>Data bytes held.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    /// <summary>Completes when every count is under its bound.</summary>
    /// <param name="cancellationToken">Stops waiting.</param>
    /// <returns>A task that completes when there is room.</returns>
    public async ValueTask WaitForRoomAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (_gate)
            {
                if (HasRoom)
                {
                    return;
                }

                _room ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                wait = _room.Task;
            }

            await wait.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Counts a batch handed to the consumer.</summary>
    /// <param name="records">Its user records.</param>
    /// <param name="bytes">Its data bytes.</param>
    public void Add(int records, long bytes)
    {
        lock (_gate)
        {
            _batches++;
            _records += records;
            _bytes += bytes;
        }
    }

    /// <summary>Stops counting a batch the consumer is done with.</summary>
    /// <param name="records">Its user records.</param>
    /// <param name="bytes">Its data bytes.</param>
    public void Release(int records, long bytes)
    {
        TaskCompletionSource? room = null;
        lock (_gate)
        {
            _batches--;
            _records -= records;
            _bytes -= bytes;
            if (HasRoom)
            {
                room = _room;
                _room = null;
            }
        }

        room?.TrySetResult();
    }

    private bool HasRoom => _batches < _maxBatches && _records < _maxRecords && _bytes < _maxBytes;
}
