namespace Kinesis.Clients.Producer.Buffering;

/// <summary>
/// The records accepted between two flushes. A flush closes the current epoch and waits until every
/// record of it (and of every earlier epoch) has completed, so new records arriving meanwhile cannot
/// keep a flush waiting forever.
/// </summary>
internal sealed class FlushEpoch
{
    private FlushEpoch? _previous;
    private readonly TaskCompletionSource _drained = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _outstanding;
    private int _closed;

    public FlushEpoch(FlushEpoch? previous)
    {
        _previous = previous;
    }

    /// <summary>Completes when this epoch is closed and all its records and all earlier epochs' have completed.</summary>
    public Task Drained => _drained.Task;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public void Enter() => Interlocked.Increment(ref _outstanding);

    public void Exit() => Exit(1);

    /// <summary>Counts <paramref name="records"/> records of this epoch as completed.</summary>
    public void Exit(int records)
    {
        if (Interlocked.Add(ref _outstanding, -records) == 0 && Volatile.Read(ref _closed) != 0)
        {
            CompleteWhenPreviousDrained();
        }
    }

    public void Close()
    {
        Volatile.Write(ref _closed, 1);
        if (Interlocked.Read(ref _outstanding) == 0)
        {
            CompleteWhenPreviousDrained();
        }
    }

    private void CompleteWhenPreviousDrained()
    {
        var previous = _previous;
        if (previous is null || previous.Drained.IsCompleted)
        {
            _drained.TrySetResult();

            // Drop the link so a long-lived producer does not keep every past epoch alive.
            _previous = null;
            return;
        }

        previous.Drained.ContinueWith(
            static (_, state) => ((TaskCompletionSource)state!).TrySetResult(),
            _drained,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }
}
