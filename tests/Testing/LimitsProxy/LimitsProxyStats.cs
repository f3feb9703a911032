namespace Kinesis.Clients.Testing;

/// <summary>A snapshot of what a <see cref="KinesisLimitsProxy"/> has seen since it started (or was reset).</summary>
public sealed class LimitsProxyStats
{
    internal LimitsProxyStats(
        IReadOnlyDictionary<string, long> requestsByOperation,
        long putRecordsRequests,
        long throttledPutRecordsRequests,
        long throttledPutRecordsEntries,
        long throttledPutRecordRequests,
        long throttledGetRecordsRequests,
        long injectedFailures,
        long injectedResets,
        long injectedEntryFailures,
        IReadOnlyList<ShardTraffic> shards,
        IReadOnlyDictionary<string, long> requestsBySigningKey)
    {
        RequestsBySigningKey = requestsBySigningKey;
        RequestsByOperation = requestsByOperation;
        PutRecordsRequests = putRecordsRequests;
        ThrottledPutRecordsRequests = throttledPutRecordsRequests;
        ThrottledPutRecordsEntries = throttledPutRecordsEntries;
        ThrottledPutRecordRequests = throttledPutRecordRequests;
        ThrottledGetRecordsRequests = throttledGetRecordsRequests;
        InjectedFailures = injectedFailures;
        InjectedResets = injectedResets;
        InjectedEntryFailures = injectedEntryFailures;
        Shards = shards;
    }

    /// <summary>Requests received, by operation (the part of <c>X-Amz-Target</c> after the dot).</summary>
    public IReadOnlyDictionary<string, long> RequestsByOperation { get; }

    /// <summary>
    /// Requests received, by the access key id in their SigV4 Authorization header (<c>(unsigned)</c> for none), so a
    /// test can tell which credentials signed the traffic.
    /// </summary>
    public IReadOnlyDictionary<string, long> RequestsBySigningKey { get; }

    /// <summary>Requests received, all operations.</summary>
    public long Requests => RequestsByOperation.Values.Sum();

    /// <summary>PutRecords requests that reached the limits (not answered by an injected fault).</summary>
    public long PutRecordsRequests { get; }

    /// <summary>PutRecords requests in which at least one entry was throttled.</summary>
    public long ThrottledPutRecordsRequests { get; }

    /// <summary>
    /// <see cref="ThrottledPutRecordsRequests"/> / <see cref="PutRecordsRequests"/>: the share of PutRecords
    /// requests that met throttling, 0 when there were none.
    /// </summary>
    public double ThrottledPutRecordsRequestShare =>
        PutRecordsRequests == 0 ? 0 : (double)ThrottledPutRecordsRequests / PutRecordsRequests;

    /// <summary>PutRecords entries failed with ProvisionedThroughputExceededException.</summary>
    public long ThrottledPutRecordsEntries { get; }

    /// <summary>PutRecord calls answered HTTP 400 ProvisionedThroughputExceededException.</summary>
    public long ThrottledPutRecordRequests { get; }

    /// <summary>GetRecords calls answered HTTP 400 ProvisionedThroughputExceededException.</summary>
    public long ThrottledGetRecordsRequests { get; }

    /// <summary>Whole requests throttled: <see cref="ThrottledPutRecordRequests"/> + <see cref="ThrottledGetRecordsRequests"/>.</summary>
    public long ThrottledRequests => ThrottledPutRecordRequests + ThrottledGetRecordsRequests;

    /// <summary>Requests answered with an injected error status.</summary>
    public long InjectedFailures { get; }

    /// <summary>Connections aborted on purpose.</summary>
    public long InjectedResets { get; }

    /// <summary>PutRecords entries failed on purpose with InternalFailure.</summary>
    public long InjectedEntryFailures { get; }

    /// <summary>Every injected fault: failures, resets and failed entries.</summary>
    public long InjectedFaults => InjectedFailures + InjectedResets + InjectedEntryFailures;

    /// <summary>Traffic of every shard met, ordered by stream and shard id.</summary>
    public IReadOnlyList<ShardTraffic> Shards { get; }

    /// <summary>Records accepted on every shard.</summary>
    public long AcceptedRecords => Shards.Sum(s => s.AcceptedRecords);

    /// <summary>Data plus partition key bytes accepted on every shard.</summary>
    public long AcceptedBytes => Shards.Sum(s => s.AcceptedBytes);

    /// <summary>Data bytes accepted on every shard.</summary>
    public long AcceptedDataBytes => Shards.Sum(s => s.AcceptedDataBytes);

    /// <summary>Requests received for one operation.</summary>
    /// <param name="operation">The operation, e.g. <c>PutRecords</c>.</param>
    /// <returns>The count, 0 if none came.</returns>
    public long RequestsFor(string operation) => RequestsByOperation.GetValueOrDefault(operation);

    /// <summary>The traffic of one shard.</summary>
    /// <param name="streamName">The stream.</param>
    /// <param name="shardId">The shard.</param>
    /// <returns>Its traffic; all zero if it has not been met.</returns>
    public ShardTraffic Shard(string streamName, string shardId) =>
        Shards.FirstOrDefault(s => s.StreamName == streamName && s.ShardId == shardId)
        ?? new ShardTraffic(streamName, shardId, 0, 0, 0, 0, 0, 0, 0, 0);
}
