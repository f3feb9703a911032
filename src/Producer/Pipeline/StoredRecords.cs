using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Completes the user records of a Kinesis record that PutRecords stored, checked against the shard it landed on.
/// On the predicted shard every record inside succeeds. Elsewhere the shard map was stale: an aggregate landed where
/// its first record's hash key maps now, and only the sub-records whose hash keys that shard owns count as delivered;
/// the others are routed again, so an aggregate is never half-succeeded.
/// </summary>
internal sealed class StoredRecords
{
    private readonly StreamPipeline _pipeline;
    private readonly ShardMapSource _maps;

    public StoredRecords(StreamPipeline pipeline, ShardMapSource maps)
    {
        _pipeline = pipeline;
        _maps = maps;
    }

    /// <param name="item">The Kinesis record stored.</param>
    /// <param name="shardId">The shard it landed on.</param>
    /// <param name="sequenceNumber">Its sequence number.</param>
    /// <param name="stored">
    /// A scratch list reused for every Kinesis record of a batch (one list per aggregate was 8 bytes per user record
    /// of garbage).
    /// </param>
    /// <param name="cancellationToken">Cancels looking up the landing shard's range.</param>
    public async Task CompleteAsync(KinesisRecordItem item, string shardId, string sequenceNumber, List<UserRecord> stored, CancellationToken cancellationToken)
    {
        _pipeline.Metrics.Stored(_pipeline.StreamName, shardId, item);
        var records = item.Records;
        stored.Clear();
        if (!item.IsAggregated)
        {
            if (records[0].TrySucceed(shardId, sequenceNumber, 0, aggregated: false, item.Attempts))
            {
                stored.Add(records[0]);
            }

            _pipeline.OnRecordsStored(stored);
            if (shardId != item.PredictedShardId)
            {
                _pipeline.RequestMapRefresh();
            }

            return;
        }

        if (shardId == item.PredictedShardId)
        {
            // An open shard's range never changes, so every sub-record routed here by the map belongs here.
            // A run takes as many sub-sequence numbers as it has records.
            for (int i = 0, next = 0; i < records.Length; next += records[i].Count, i++)
            {
                if (records[i].TrySucceed(shardId, sequenceNumber, item.PositionOf(i, next), aggregated: true, item.Attempts))
                {
                    stored.Add(records[i]);
                }
            }

            _pipeline.OnRecordsStored(stored);
            item.StoreUnobserved();
            return;
        }

        _pipeline.RequestMapRefresh();

        // Each sub-record is checked against the landing shard's range: those kept only as a count become user records again.
        item.TakeUnobservedBack();
        records = item.Records;
        HashKeyRange? range = null;
        try
        {
            range = await _maps.GetRangeAsync(shardId, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException)
        {
            // Without the range no sub-record can be shown to be in place: re-send them all.
        }

        List<UserRecord>? misplaced = null;
        var misplacedCount = 0;
        for (int i = 0, sub = 0; i < records.Length; sub += records[i].Count, i++)
        {
            if (range is { } r && r.Contains(records[i].ComputeHashKey()))
            {
                if (records[i].TrySucceed(shardId, sequenceNumber, sub, aggregated: true, item.Attempts))
                {
                    stored.Add(records[i]);
                }
            }
            else
            {
                // Its attempts so far stay with it as it is routed again.
                records[i].Leave(item.Attempts);
                (misplaced ??= []).Add(records[i]);
                misplacedCount += records[i].Count;
            }
        }

        _pipeline.OnRecordsStored(stored);
        if (misplaced is not null)
        {
            // Routed again, they go into new aggregates: the runs among them take their data back from this one.
            item.RestoreRunData();
            ProducerLog.Misplaced(_pipeline.Logger, _pipeline.StreamName, misplacedCount);
            _pipeline.Metrics.Misplaced(_pipeline.StreamName, misplacedCount);
            _pipeline.Reroute(misplaced);
        }
    }
}
