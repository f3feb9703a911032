namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// A stream's MaxConnections request slots: how many PutRecords requests are in flight, and the retries waiting for
/// a slot. A retry that backed off holds no slot while it waits (else a throttled shard's retries could take every
/// connection and stall the other shards), and a freed slot goes to a waiting retry before any new request is
/// planned. Owned by the stream's loop; no locks.
/// </summary>
internal sealed class RequestSlots
{
    private readonly int _max;
    private readonly Queue<TaskCompletionSource> _waiters = new();

    /// <param name="max">MaxConnections.</param>
    public RequestSlots(int max) => _max = max;

    /// <summary>Requests in flight, each holding a slot (the batch planner plans none at <c>max</c>).</summary>
    public int InFlight { get; private set; }

    /// <summary>Retries waiting for a slot.</summary>
    public int Waiting => _waiters.Count;

    /// <summary>A new request was planned (the planner saw a free slot): it holds one.</summary>
    public void TakeForNewRequest() => InFlight++;

    /// <summary>A request finished, or its failed records went to wait out their backoff: its slot is free.</summary>
    public void Release()
    {
        InFlight--;
        Grant();
    }

    /// <summary>A retry asks for a slot: <paramref name="grant"/> completes once it has one (at once when one is free).</summary>
    public void Request(TaskCompletionSource grant)
    {
        _waiters.Enqueue(grant);
        Grant();
    }

    private void Grant()
    {
        while (InFlight < _max && _waiters.TryDequeue(out var grant))
        {
            InFlight++;
            grant.TrySetResult();
        }
    }
}
