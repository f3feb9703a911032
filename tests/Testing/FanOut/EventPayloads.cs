using System.Formats.Cbor;
using Kinesis.Clients.Buffers;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Testing;

/// <summary>Writes the payloads of SubscribeToShard events in JSON or CBOR, with the record shape GetRecords uses.</summary>
internal static class EventPayloads
{
    public const string JsonContentType = "application/json";
    public const string CborContentType = "application/cbor";

    public static byte[] InitialResponse(bool cbor) => cbor ? [0xA0] : "{}"u8.ToArray();

    public static byte[] SubscribeToShardEvent(
        bool cbor,
        IReadOnlyList<KinesisRecord> records,
        string? continuation,
        long millisBehindLatest,
        IReadOnlyList<ChildShard> childShards)
    {
        using var buffer = new PooledBufferWriter();
        if (cbor)
        {
            Write(new CborBufferWriter(buffer), records, continuation, millisBehindLatest, childShards);
        }
        else
        {
            using var json = new JsonWireWriter(buffer);
            Write(json, records, continuation, millisBehindLatest, childShards);
            json.Flush();
        }

        return buffer.WrittenMemory.ToArray();
    }

    private static void Write(
        IWireWriter w,
        IReadOnlyList<KinesisRecord> records,
        string? continuation,
        long millisBehindLatest,
        IReadOnlyList<ChildShard> childShards)
    {
        w.WriteStartObject(2 + (continuation is null ? 0 : 1) + (childShards.Count == 0 ? 0 : 1));
        w.WritePropertyName("Records");
        w.WriteStartArray(records.Count);
        foreach (var record in records)
        {
            w.WriteStartObject(3 + (record.ApproximateArrivalTimestamp is null ? 0 : 1) + (record.EncryptionType is null ? 0 : 1));
            w.WritePropertyName("SequenceNumber");
            w.WriteString(record.SequenceNumber);
            if (record.ApproximateArrivalTimestamp is { } arrival)
            {
                w.WritePropertyName("ApproximateArrivalTimestamp");
                w.WriteTimestamp(arrival);
            }

            w.WritePropertyName("Data");
            w.WriteBlob(record.Data.Span);
            w.WritePropertyName("PartitionKey");
            w.WriteString(record.PartitionKey);
            if (record.EncryptionType is { } encryption)
            {
                w.WritePropertyName("EncryptionType");
                w.WriteString(encryption);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (continuation is not null)
        {
            w.WritePropertyName("ContinuationSequenceNumber");
            w.WriteString(continuation);
        }

        w.WritePropertyName("MillisBehindLatest");
        w.WriteInt64(millisBehindLatest);
        if (childShards.Count > 0)
        {
            w.WritePropertyName("ChildShards");
            w.WriteStartArray(childShards.Count);
            foreach (var child in childShards)
            {
                w.WriteStartObject(3);
                w.WritePropertyName("ShardId");
                w.WriteString(child.ShardId);
                w.WritePropertyName("ParentShards");
                w.WriteStartArray(child.ParentShards.Count);
                foreach (var parent in child.ParentShards)
                {
                    w.WriteString(parent);
                }

                w.WriteEndArray();
                w.WritePropertyName("HashKeyRange");
                w.WriteStartObject(2);
                w.WritePropertyName("StartingHashKey");
                w.WriteString(child.HashKeyRange.StartingHashKey.ToString());
                w.WritePropertyName("EndingHashKey");
                w.WriteString(child.HashKeyRange.EndingHashKey.ToString());
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }
}
