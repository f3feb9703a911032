using System.Diagnostics;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// The tags of the consumer's measurements: the KCL's dimension names and operations, plus <c>StreamName</c> for
/// meter listeners (not uploaded: the KCL's metrics have no such dimension). In multi-stream mode a shard's
/// measurements also carry the KCL's <c>StreamId</c>: the stream's serialized identifier
/// <c>account:stream:creationEpoch</c>, as <c>MetricsUtil.addStreamId</c> adds it (only when the identifier has an
/// account, i.e. only in multi-stream mode).
/// </summary>
internal static class ConsumerTags
{
    public const string Operation = "Operation";
    public const string ShardId = "ShardId";
    public const string StreamId = "StreamId";
    public const string WorkerIdentifier = "WorkerIdentifier";
    public const string StreamName = "StreamName";

    public const string ProcessTask = "ProcessTask";
    public const string ApplicationTracker = "ApplicationTracker";
    public const string InitializeTask = "InitializeTask";
    public const string ShutdownTask = "ShutdownTask";
    public const string RenewAllLeases = "RenewAllLeases";
    public const string TakeLeases = "TakeLeases";
    public const string ShardSyncTask = "ShardSyncTask";

    /// <summary>An operation on one shard of <paramref name="stream"/>.</summary>
    public static TagList Shard(string operation, StreamIdentifier stream, string shardId)
    {
        var tags = new TagList { { Operation, operation }, { ShardId, shardId }, { StreamName, stream.StreamName } };
        AddStreamId(ref tags, stream);
        return tags;
    }

    /// <summary>An operation of one stream with no shard (the KCL's ExpiredIterator).</summary>
    public static TagList OfStream(string operation, StreamIdentifier stream)
    {
        var tags = new TagList { { Operation, operation }, { StreamName, stream.StreamName } };
        AddStreamId(ref tags, stream);
        return tags;
    }

    /// <summary>An operation of the whole worker's leases.</summary>
    public static TagList Worker(string operation, string stream, string workerId) =>
        new() { { Operation, operation }, { WorkerIdentifier, workerId }, { StreamName, stream } };

    /// <summary>An operation with no other dimension.</summary>
    public static TagList Only(string operation, string stream) =>
        new() { { Operation, operation }, { StreamName, stream } };

    private static void AddStreamId(ref TagList tags, StreamIdentifier stream)
    {
        if (stream.IsMultiStream)
        {
            tags.Add(StreamId, stream.Serialize());
        }
    }
}
