namespace Kinesis.Clients.Producer.Buffering;

/// <summary>
/// Bounds the bytes and records the producer holds (buffered and in flight). Callers wait, first come
/// first served, until completed records free enough room; memory therefore stays bounded whatever
/// Kinesis does (the KPL has no such bound, and its users run out of memory).
/// </summary>
internal sealed class BufferBudget
{
    private readonly Lock _lock = new();
    private readonly LinkedList<Waiter> _waiters = new();
    private long _bytes;
    private long _records;

    public BufferBudget(long maxBytes, long maxRecords)
    {
        MaxBytes = maxBytes;
        MaxRecords = maxRecords;
    }

    public long MaxBytes { get; }

    public long MaxRecords { get; }

    public long Bytes => Volatile.Read(ref _bytes);

    public long Records => Volatile.Read(ref _records);

    public bool TryAcquire(long bytes)
    {
        lock (_lock)
        {
            if (_waiters.Count == 0 && Fits(bytes))
            {
                _bytes += bytes;
                _records++;
                return true;
            }

            return false;
        }
    }

    public ValueTask AcquireAsync(long bytes, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && Fits(bytes))
            {
                _bytes += bytes;
                _records++;
                return ValueTask.CompletedTask;
            }

            cancellationToken.ThrowIfCancellationRequested();
            waiter = new Waiter(bytes);
            waiter.Node = _waiters.AddLast(waiter);
        }

        // Owner first: the registration may fire at once when the token is already cancelled.
        waiter.Owner = this;
        if (cancellationToken.CanBeCanceled)
        {
            waiter.Registration = cancellationToken.Register(static state => ((Waiter)state!).Owner!.Cancel((Waiter)state!), waiter);
        }

        return new ValueTask(waiter.Completion.Task);
    }

    public void Release(long bytes, long records = 1)
    {
        List<Waiter>? woken;
        lock (_lock)
        {
            _bytes -= bytes;
            _records -= records;
            woken = _waiters.Count == 0 ? null : AdmitWaiters();
        }

        Wake(woken);
    }

    private void Cancel(Waiter waiter)
    {
        List<Waiter>? woken;
        lock (_lock)
        {
            if (waiter.Node is null)
            {
                return;
            }

            _waiters.Remove(waiter.Node);
            waiter.Node = null;

            // The cancelled waiter may have been holding back smaller ones behind it that fit now.
            woken = AdmitWaiters();
        }

        waiter.Completion.TrySetCanceled();
        Wake(woken);
    }

    private List<Waiter>? AdmitWaiters()
    {
        List<Waiter>? woken = null;
        while (_waiters.First is { } first && Fits(first.Value.Bytes))
        {
            _waiters.RemoveFirst();
            first.Value.Node = null;
            _bytes += first.Value.Bytes;
            _records++;
            (woken ??= []).Add(first.Value);
        }

        return woken;
    }

    private static void Wake(List<Waiter>? woken)
    {
        if (woken is null)
        {
            return;
        }

        foreach (var waiter in woken)
        {
            waiter.Registration.Dispose();
            waiter.Completion.TrySetResult();
        }
    }

    // An empty buffer always takes one record, however big, so no record can wait forever.
    private bool Fits(long bytes) =>
        _records == 0 || (_bytes + bytes <= MaxBytes && _records + 1 <= MaxRecords);

    private sealed class Waiter
    {
        public Waiter(long bytes) => Bytes = bytes;

        public long Bytes { get; }

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }

        public BufferBudget? Owner { get; set; }

        public CancellationTokenRegistration Registration { get; set; }
    }
}
