using System.Text;
using Kinesis.Clients.Records;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Testing;

/// <summary>One record of a PutRecords (or the PutRecord) request, as the limits see it.</summary>
internal struct PutEntry
{
    public const string InternalFailure = "InternalFailure";
    public const string InternalFailureMessage = "Internal service failure.";

    public WireValue Value;
    public string PartitionKey;
    public string? ExplicitHashKey;
    public HashKey HashKey;
    public int DataBytes;

    /// <summary>Data plus UTF-8 partition key: what the write limit and PutRecords' 5 MiB count.</summary>
    public int Bytes;

    /// <summary>The shard the record maps to; <see langword="null"/> while unknown (then it is not limited).</summary>
    public ShardState? Shard;

    /// <summary>The shard's index in a standalone stream.</summary>
    public int ShardIndex;

    public EntryOutcome Outcome;

    /// <summary>
    /// Reads a record object (a PutRecords entry or a PutRecord body). False when it has no partition key or
    /// an explicit hash key that is not one: such a request is the backend's to refuse.
    /// </summary>
    public static bool TryRead(WireValue value, out PutEntry entry)
    {
        entry = default;
        if (WireTree.Text(value["PartitionKey"]) is not { } partitionKey)
        {
            return false;
        }

        var explicitHashKey = WireTree.Text(value["ExplicitHashKey"]);
        HashKey hashKey;
        if (explicitHashKey is null)
        {
            hashKey = HashKey.FromPartitionKey(partitionKey);
        }
        else if (!HashKey.TryParse(explicitHashKey, out hashKey))
        {
            return false;
        }

        var data = WireTree.BlobLength(value["Data"]);
        entry = new PutEntry
        {
            Value = value,
            PartitionKey = partitionKey,
            ExplicitHashKey = explicitHashKey,
            HashKey = hashKey,
            DataBytes = data,
            Bytes = data + Encoding.UTF8.GetByteCount(partitionKey),
        };
        return true;
    }

    /// <summary>
    /// Decides each routed entry: an injected failure first (it costs no capacity), else the shard's write
    /// buckets. Entries without a shard pass unlimited.
    /// </summary>
    /// <returns>How many entries were throttled and how many failed on purpose.</returns>
    public static (int Throttled, int Failed) Admit(Span<PutEntry> entries, LimitsProxyFaults faults)
    {
        var throttled = 0;
        var failed = 0;
        foreach (ref var entry in entries)
        {
            if (faults.FailEntry())
            {
                entry.Outcome = EntryOutcome.Failed;
                failed++;
            }
            else if (entry.Shard is { } shard && (faults.IsThrottled(shard.ShardId) ? shard.RefuseWrite() : !shard.TryAdmitWrite(entry.Bytes)))
            {
                entry.Outcome = EntryOutcome.Throttled;
                throttled++;
            }
            else
            {
                entry.Outcome = EntryOutcome.Admitted;
            }
        }

        return (throttled, failed);
    }

    /// <summary>Writes the result object of a refused entry.</summary>
    public readonly void WriteRefusal(IWireWriter w)
    {
        w.WriteStartObject(2);
        w.WritePropertyName("ErrorCode");
        w.WriteString(Outcome == EntryOutcome.Throttled ? ProxyReplies.ThroughputExceeded : InternalFailure);
        w.WritePropertyName("ErrorMessage");
        w.WriteString(Outcome == EntryOutcome.Throttled ? Shard!.ThrottledMessage : InternalFailureMessage);
        w.WriteEndObject();
    }
}
