using System.Diagnostics;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// The tags of the consumer's measurements: the KCL's dimension names and operations, plus <c>StreamName</c> for
/// meter listeners (not uploaded: the KCL's metrics have no such dimension).
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

    /// <summary>An operation on one shard (the KCL adds StreamId only for a multi-stream application).</summary>
    public static TagList Shard(string operation, string stream, string shardId, string? streamId = null)
    {
        var tags = new TagList { { Operation, operation }, { ShardId, shardId }, { StreamName, stream } };
        if (streamId is not null)
        {
            tags.Add(StreamId, streamId);
        }

        return tags;
    }

    /// <summary>An operation of the whole worker's leases.</summary>
    public static TagList Worker(string operation, string stream, string workerId) =>
        new() { { Operation, operation }, { WorkerIdentifier, workerId }, { StreamName, stream } };

    /// <summary>An operation with no other dimension.</summary>
    public static TagList Only(string operation, string stream) =>
        new() { { Operation, operation }, { StreamName, stream } };
}
