using Kinesis.Clients.Records;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients;

/// <summary>Reads reply bodies into the public model, whichever encoding they came in.</summary>
internal static class KinesisReplies
{
    public static StreamSummary StreamSummary(WireValue s) => new(
        s.RequiredString("StreamName"),
        s.RequiredString("StreamARN"),
        s.RequiredString("StreamStatus"),
        s["StreamModeDetails"]["StreamMode"].AsString(),
        (int)(s["RetentionPeriodHours"].AsInt64() ?? 24),
        s["StreamCreationTimestamp"].AsTimestamp(),
        (int)(s["OpenShardCount"].AsInt64() ?? 0),
        (int?)s["ConsumerCount"].AsInt64(),
        s["EncryptionType"].AsString());

    public static Shard Shard(WireValue s)
    {
        var range = s["HashKeyRange"];
        var sequences = s["SequenceNumberRange"];
        return new Shard(
            s.RequiredString("ShardId"),
            s["ParentShardId"].AsString(),
            s["AdjacentParentShardId"].AsString(),
            Range(range),
            sequences.RequiredString("StartingSequenceNumber"),
            sequences["EndingSequenceNumber"].AsString());
    }

    public static PutRecordsResponse PutRecords(WireValue reply, int sent)
    {
        var items = reply["Records"].Items;
        if (items.Count != sent)
        {
            throw new WireFormatException($"PutRecords returned {items.Count} results for {sent} records.");
        }

        var results = new PutRecordsResultEntry[items.Count];
        var failed = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var errorCode = item["ErrorCode"].AsString();
            results[i] = new PutRecordsResultEntry(
                item["ShardId"].AsString(),
                item["SequenceNumber"].AsString(),
                string.IsNullOrEmpty(errorCode) ? null : errorCode,
                item["ErrorMessage"].AsString());
            if (!results[i].Succeeded)
            {
                failed++;
            }
        }

        // Count failures from the entries themselves; the header count is advisory (KinesisTap once trusted it and lost data).
        return new PutRecordsResponse(Math.Max(failed, (int)(reply["FailedRecordCount"].AsInt64() ?? 0)), results, reply["EncryptionType"].AsString());
    }

    public static GetRecordsResponse GetRecords(WireValue reply)
    {
        var items = reply["Records"].Items;
        var records = new KinesisRecord[items.Count];
        for (var i = 0; i < items.Count; i++)
        {
            var r = items[i];
            records[i] = new KinesisRecord(
                r.RequiredString("SequenceNumber"),
                r["ApproximateArrivalTimestamp"].AsTimestamp(),
                r.RequiredString("PartitionKey"),
                r["Data"].AsBlob(),
                r["EncryptionType"].AsString());
        }

        var children = reply["ChildShards"].Items
            .Select(c => new ChildShard(
                c.RequiredString("ShardId"),
                c["ParentShards"].Items.Select(p => p.AsString()!).ToList(),
                Range(c["HashKeyRange"])))
            .ToList();

        return new GetRecordsResponse(records, reply["NextShardIterator"].AsString(), reply["MillisBehindLatest"].AsInt64(), children);
    }

    public static StreamConsumer Consumer(WireValue c, string? streamArn) => new(
        c.RequiredString("ConsumerName"),
        c.RequiredString("ConsumerARN"),
        c.RequiredString("ConsumerStatus"),
        c["ConsumerCreationTimestamp"].AsTimestamp(),
        c["StreamARN"].AsString() ?? streamArn);

    private static HashKeyRange Range(WireValue range) =>
        new(Key(range, "StartingHashKey"), Key(range, "EndingHashKey"));

    private static HashKey Key(WireValue range, string name)
    {
        var text = range.RequiredString(name);
        return HashKey.TryParse(text, out var value)
            ? value
            : throw new WireFormatException($"{name} '{text}' is not a decimal 128-bit hash key.");
    }
}
