using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Firehose;

/// <summary>Reads Firehose reply bodies into the public model.</summary>
internal static class FirehoseReplies
{
    public static PutRecordBatchResponse PutRecordBatch(WireValue reply, int sent)
    {
        var items = reply["RequestResponses"].Items;
        if (items.Count != sent)
        {
            throw new WireFormatException($"PutRecordBatch returned {items.Count} results for {sent} records.");
        }

        var results = new PutRecordBatchResultEntry[items.Count];
        var failed = 0;
        for (var i = 0; i < items.Count; i++)
        {
            var item = items[i];
            var errorCode = item["ErrorCode"].AsString();
            results[i] = new PutRecordBatchResultEntry(
                item["RecordId"].AsString(),
                string.IsNullOrEmpty(errorCode) ? null : errorCode,
                item["ErrorMessage"].AsString());
            if (!results[i].Succeeded)
            {
                failed++;
            }
        }

        // Count failures from the entries themselves; the header count is advisory.
        return new PutRecordBatchResponse(Math.Max(failed, (int)(reply["FailedPutCount"].AsInt64() ?? 0)), reply["Encrypted"].AsBoolean(), results);
    }

    public static DeliveryStreamDescription Description(WireValue reply)
    {
        var d = reply["DeliveryStreamDescription"];
        return new DeliveryStreamDescription(
            d.RequiredString("DeliveryStreamName"),
            d.RequiredString("DeliveryStreamARN"),
            d.RequiredString("DeliveryStreamStatus"),
            d["DeliveryStreamType"].AsString(),
            d["VersionId"].AsString(),
            d["CreateTimestamp"].AsTimestamp());
    }
}
