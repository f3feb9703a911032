namespace Kinesis.Clients.Consumer.Worker;

/// <summary>One stream of a worker: its shard consumers' shared context, and its shard sync and cleanup while tracked.</summary>
internal sealed class StreamState
{
    public required StreamIdentifier Stream { get; init; }

    public required ConsumerContext Context { get; init; }

    /// <summary>Keeps the stream's leases in step with its shards; <see langword="null"/> once the stream is not tracked.</summary>
    public ShardSyncer? Syncer { get; set; }

    /// <summary>Deletes the stream's finished and missing shards' leases; <see langword="null"/> once the stream is not tracked.</summary>
    public LeaseCleaner? Cleaner { get; set; }

    public bool IsTracked => Syncer is not null;
}
