namespace Kinesis.Clients.Consumer.Worker;

/// <summary>What the worker does with a lease it acquired and has not started a shard consumer for yet.</summary>
internal enum LeaseStartDecision
{
    /// <summary>Start a shard consumer for it now.</summary>
    Start,

    /// <summary>The consumer of its previous tenure is still stopping: ask again when that one is done.</summary>
    Wait,

    /// <summary>Nothing to do: a consumer already runs for it, or this worker no longer holds it.</summary>
    Drop,
}

/// <summary>The state of a lease the worker acquired, as the decision needs it.</summary>
/// <param name="Running">Whether a shard consumer for this lease key is still registered.</param>
/// <param name="RunningIsStopping">Whether that consumer has been asked to stop (lost tenure, shutdown).</param>
/// <param name="Held">Whether the lease coordinator still holds the lease.</param>
internal readonly record struct AcquiredLeaseState(bool Running, bool RunningIsStopping, bool Held)
{
    /// <summary>
    /// A lease taken back while the consumer of its lost tenure still waits for its processor starts once that one
    /// is done (its completion wakes the loop); dropping it would leave the lease held and renewed with nobody
    /// processing it. A lease that is running already, or no longer held, needs nothing.
    /// </summary>
    public LeaseStartDecision Decide() => (Running, RunningIsStopping, Held) switch
    {
        (true, true, _) => LeaseStartDecision.Wait,
        (true, false, _) => LeaseStartDecision.Drop,
        (false, _, true) => LeaseStartDecision.Start,
        (false, _, false) => LeaseStartDecision.Drop,
    };
}
