namespace Kinesis.Clients.Consumer.Leases;

/// <summary>
/// A lease table holds single-stream leases (key = shard id) or multi-stream leases (key
/// <c>account:stream:creationEpoch:shardId</c> with <c>streamName</c> and <c>shardId</c>), never both.
/// </summary>
/// <remarks>
/// The KCL picks its serializer from the tracker and is blind to rows of the other form: a single-stream worker
/// would take multi-stream leases as shard ids that do not exist, a multi-stream worker would fail on rows without a
/// stream, and shards would start again from the initial position. A worker here refuses such a table at start.
/// </remarks>
internal static class LeaseTableMode
{
    /// <exception cref="InvalidOperationException">The table holds leases of the other mode.</exception>
    public static void EnsureMatches(string table, bool multiStream, IReadOnlyList<Lease> leases)
    {
        if (leases.FirstOrDefault(l => l.IsMultiStream != multiStream) is not { } other)
        {
            return;
        }

        throw new InvalidOperationException(multiStream
            ? $"Lease table '{table}' holds single-stream leases (e.g. '{other.LeaseKey}', no streamName); a multi-stream worker (Streams) " +
              "cannot share it: use another application or LeaseTableName, or consume that stream with StreamName."
            : $"Lease table '{table}' holds multi-stream leases (e.g. '{other.LeaseKey}' of stream '{other.StreamIdentifier}'); a single-stream " +
              "worker cannot share it: set Streams to consume in multi-stream mode, or use another application or LeaseTableName.");
    }
}
