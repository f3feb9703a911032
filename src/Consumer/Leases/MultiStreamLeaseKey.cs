namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// Lease keys of a multi-stream table, as the KCL's <c>MultiStreamLease</c> makes them:
/// <c>account:stream:creationEpoch:shardId</c>, the row also carrying the stream identifier in <c>streamName</c> and
/// the shard id in <c>shardId</c>.
/// </summary>
internal static class MultiStreamLeaseKey
{
    public static string Format(StreamIdentifier stream, string shardId)
    {
        if (!stream.IsMultiStream)
        {
            throw new ArgumentException($"Stream '{stream}' has no account and creation epoch; multi-stream lease keys need both.", nameof(stream));
        }

        if (string.IsNullOrEmpty(shardId) || shardId.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"'{shardId}' is not a shard id.", nameof(shardId));
        }

        return stream.Serialize() + ":" + shardId;
    }

    /// <summary>Splits <c>account:stream:creationEpoch:shardId</c>; false for a single-stream key or anything else.</summary>
    public static bool TryParse(
        string? leaseKey,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out StreamIdentifier? stream,
        [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? shardId)
    {
        stream = null;
        shardId = null;
        var last = leaseKey?.LastIndexOf(':') ?? -1;
        if (last <= 0 || last == leaseKey!.Length - 1 || !StreamIdentifier.TryParse(leaseKey[..last], out stream))
        {
            stream = null;
            return false;
        }

        shardId = leaseKey[(last + 1)..];
        return true;
    }

    /// <summary>The multi-stream lease of <paramref name="shardId"/>: its key, stream and shard attributes.</summary>
    public static Lease ForNewShard(
        StreamIdentifier stream,
        string shardId,
        ExtendedSequenceNumber initialPosition,
        IEnumerable<string>? parentShardIds = null,
        Kinesis.Clients.Records.HashKeyRange? hashKeyRange = null) =>
        Lease.ForNewShard(Format(stream, shardId), initialPosition, parentShardIds, hashKeyRange) with
        {
            StreamIdentifier = stream.Serialize(),
            ShardId = shardId,
        };
}
