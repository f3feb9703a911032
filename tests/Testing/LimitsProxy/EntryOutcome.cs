namespace Kinesis.Clients.Testing;

/// <summary>What became of one record of a put.</summary>
internal enum EntryOutcome
{
    /// <summary>Within the limits: stored (standalone) or forwarded (proxy).</summary>
    Admitted,

    /// <summary>Over its shard's write limit: ProvisionedThroughputExceededException.</summary>
    Throttled,

    /// <summary>Failed on purpose: InternalFailure.</summary>
    Failed,
}
