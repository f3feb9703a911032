namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// Where the lease coordinator reports its rounds, in the KCL's terms: the renewer's <c>RenewAllLeases</c> and the
/// taker's <c>TakeLeases</c> operations.
/// </summary>
internal interface ILeaseMetrics
{
    /// <summary>One lease renewal: whether it reached the table (lost or renewed) and how long it took.</summary>
    void Renewed(bool success, TimeSpan elapsed);

    /// <summary>One renewal round: whether every renewal reached the table, the leases held after it and those lost in it.</summary>
    void RenewedAll(bool success, TimeSpan elapsed, int current, int lost);

    /// <summary>The take round's listing of the lease table.</summary>
    void Listed(bool success, TimeSpan elapsed);

    /// <summary>The balancer's decision of a take round.</summary>
    void Balanced(LeaseBalancerDecision decision);

    /// <summary>One take: whether it reached the table (taken or lost to another worker) and how long it took.</summary>
    void Took(bool success, TimeSpan elapsed);

    /// <summary>
    /// One take round: whether it ran through, whether the table was listed, and (when it was) the leases taken and
    /// those another worker got first.
    /// </summary>
    void TookAll(bool success, TimeSpan elapsed, bool listed, int taken, int untaken);
}
