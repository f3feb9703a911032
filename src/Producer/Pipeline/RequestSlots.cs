namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// A stream's MaxConnections request slots: how many PutRecords requests are in flight, and the retries waiting for
/// a slot. A retry that backed off holds no slot while it waits (else a throttled shard's retries could take every
/// connection and stall the other shards), and a freed slot goes to a waiting retry before any new request is
/// planned. Owned by the stream's loop; no locks.
/// </summary>
/// <typeparam name="TWaiter">What a waiting retry is (the pipeline's slot request).</typeparam>
internal sealed class RequestSlots<TWaiter>
{
    private readonly int _max;
    private readonly Action<TWaiter> _grant;
    private readonly Queue<TWaiter> _waiters = new();

    /// <param name="max">MaxConnections.</param>
    /// <param name="grant">Hands a waiter its slot (called once per waiter, in the order they asked).</param>
    public RequestSlots(int max, Action<TWaiter> grant)
    {
        _max = max;
        _grant = grant;
    }

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

    /// <summary>A retry asks for a slot: <paramref name="waiter"/> is granted one as soon as one is free (at once if one is).</summary>
    public void Request(TWaiter waiter)
    {
        _waiters.Enqueue(waiter);
        Grant();
    }

    private void Grant()
    {
        while (InFlight < _max && _waiters.TryDequeue(out var waiter))
        {
            InFlight++;
            _grant(waiter);
        }
    }
}
