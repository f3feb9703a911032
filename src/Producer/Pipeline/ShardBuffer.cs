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

    /// <summary>The user records in <see cref="Builder"/> that are carried one by one, in order (see <see cref="PendingUnobserved"/>).</summary>
    public List<UserRecord> Pending { get; } = [];

    /// <summary>For each record of <see cref="Pending"/>, its first sub-record's index in the aggregate.</summary>
    public List<int> PendingPositions { get; } = [];

    /// <summary>The records in <see cref="Builder"/> kept only as a count; <see langword="null"/> when none.</summary>
    public UnobservedRecords? PendingUnobserved { get; private set; }

    /// <summary>How many records (a run counting once) the open aggregate holds.</summary>
    public int PendingCount => Pending.Count + (PendingUnobserved?.Count ?? 0);

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

    public bool IsEmpty => PendingCount == 0 && Ready.Count == 0;

    /// <summary>
    /// Whether the open aggregate is sealed once its linger runs out: it holds records and no request of the shard
    /// is in flight. In ordered mode a shard with a request in flight may send nothing until that request ends, so
    /// its open aggregate keeps filling instead: sealed meanwhile it would only wait, and a slow round trip would
    /// leave many small aggregates behind, each a round trip of its own, where one full one does. It is sealed when
    /// full, as always, or, already due, as soon as the shard is free.
    /// </summary>
    public bool AwaitsLinger => PendingCount > 0 && !InFlight;

    /// <summary>
    /// Counts a user record just put into <see cref="Builder"/> at sub-record <paramref name="position"/>: into
    /// <see cref="PendingUnobserved"/> when <paramref name="unobserved"/>, else into <see cref="Pending"/>.
    /// </summary>
    public void AddPending(UserRecord record, int position, bool unobserved)
    {
        if (unobserved)
        {
            (PendingUnobserved ??= new UnobservedRecords(record)).Add(record.Size, record.Epoch);
        }
        else
        {
            Pending.Add(record);
            PendingPositions.Add(position);
        }

        PendingFirstAccepted = Math.Min(PendingFirstAccepted, record.AcceptedAt);
        PendingDataBytes += record.DataLength;
        if (record.Lengths is not null)
        {
            PendingRuns++;
        }
    }

    /// <summary>
    /// Counts a record nobody watches, just put into <see cref="Builder"/> from the inbox and taken in at
    /// <paramref name="acceptedAt"/>, into <see cref="PendingUnobserved"/> (the first of an aggregate becomes its
    /// <see cref="UnobservedRecords.First"/>, with a copy of its data). The caller gives the entry's bytes back.
    /// </summary>
    public void AddPending(in InboxEntry entry, long acceptedAt)
    {
        var unobserved = PendingUnobserved ??= new UnobservedRecords(entry.ToRecord(acceptedAt));
        unobserved.Add(entry.Size, entry.Epoch);
        PendingFirstAccepted = Math.Min(PendingFirstAccepted, acceptedAt);
        PendingDataBytes += entry.Length;
    }

    /// <summary>Forgets the open aggregate's records (sealed, or taken out).</summary>
    public void ClearPending()
    {
        Pending.Clear();
        PendingPositions.Clear();
        PendingUnobserved = null;
        PendingFirstAccepted = long.MaxValue;
        PendingDataBytes = 0;
        PendingRuns = 0;
    }

    public void Dispose() => Builder?.Dispose();
}
