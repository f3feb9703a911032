using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Limits;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Everything waiting for one (predicted) shard: the aggregate being filled, the Kinesis records ready to
/// send, the shard's rate limiter, and whether a request for it is in flight (in ordered mode).
/// Owned by the stream's pipeline loop; never touched from other threads.
/// </summary>
internal sealed class ShardBuffer : IDisposable
{
    public ShardBuffer(string shardId, AggregateBuilder? builder, ShardRateLimiter limiter)
    {
        ShardId = shardId;
        Builder = builder;
        Limiter = limiter;
    }

    public string ShardId { get; }

    /// <summary>The aggregate being filled; <see langword="null"/> when aggregation is off.</summary>
    public AggregateBuilder? Builder { get; }

    /// <summary>The user records in <see cref="Builder"/>, in order.</summary>
    public List<UserRecord> Pending { get; } = [];

    /// <summary>When the oldest record in <see cref="Pending"/> was accepted.</summary>
    public long PendingSince { get; set; }

    /// <summary>The earliest acceptance time in <see cref="Pending"/> (records routed again can be older than the first).</summary>
    public long PendingFirstAccepted { get; set; } = long.MaxValue;

    /// <summary>The data bytes of the records in <see cref="Pending"/>.</summary>
    public long PendingDataBytes { get; set; }

    /// <summary>How many of the records in <see cref="Pending"/> are runs (whose pooled data a sealed aggregate may take over).</summary>
    public int PendingRuns { get; set; }

    public Queue<KinesisRecordItem> Ready { get; } = new();

    public ShardRateLimiter Limiter { get; }

    /// <summary>In ordered mode: a request holding a record of this shard has not finished yet.</summary>
    public bool InFlight { get; set; }

    public bool IsEmpty => Pending.Count == 0 && Ready.Count == 0;

    public void Dispose() => Builder?.Dispose();
}
