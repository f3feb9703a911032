namespace Kinesis.Clients.Consumer;

/// <summary>How records are read from shards.</summary>
public enum RetrievalMode
{
    /// <summary>GetRecords in a loop: shares the shard's 2 MiB/s and 5 reads/s with every other polling application.</summary>
    Polling,

    /// <summary>SubscribeToShard over HTTP/2: a dedicated 2 MiB/s per shard for this application, pushed as it arrives.</summary>
    EnhancedFanOut,
}
