namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// Bounds a flow's open descriptors (<see cref="TailingOptions.MaxOpenFiles"/>): discovery opens no file beyond the
/// limit and says how many wait; that many readers of files read to their end then close theirs, and those files
/// are opened again only once they grow.
/// </summary>
internal sealed class OpenFileLimit
{
    private int _toFree;

    /// <summary>Set by each discovery pass: how many matching files found no free descriptor.</summary>
    public void Waiting(int files) => Volatile.Write(ref _toFree, files);

    /// <summary>Whether an idle reader should close its file now to make room (at most as many as files wait).</summary>
    public bool TryMakeRoom()
    {
        while (true)
        {
            var left = Volatile.Read(ref _toFree);
            if (left <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _toFree, left - 1, left) == left)
            {
                return true;
            }
        }
    }
}
