using Kinesis.Clients.Wire;

namespace Kinesis.Clients;

/// <summary>Request bodies with several optional members, written for either encoding.</summary>
internal static class KinesisRequestWriters
{
    public static void ListShards(IWireWriter w, ListShardsRequest r)
    {
        if (r.NextToken is not null)
        {
            // The API rejects a stream name alongside NextToken; the token carries the stream.
            w.WriteStartObject(r.MaxResults is null ? 1 : 2);
            w.WritePropertyName("NextToken");
            w.WriteString(r.NextToken);
            WriteMaxResults(w, r.MaxResults);
            w.WriteEndObject();
            return;
        }

        var count = 1 + (r.ExclusiveStartShardId is null ? 0 : 1) + (r.MaxResults is null ? 0 : 1) + (r.ShardFilter is null ? 0 : 1);
        w.WriteStartObject(count);
        WriteStream(w, r.StreamName, r.StreamArn);
        if (r.ExclusiveStartShardId is not null)
        {
            w.WritePropertyName("ExclusiveStartShardId");
            w.WriteString(r.ExclusiveStartShardId);
        }

        WriteMaxResults(w, r.MaxResults);
        if (r.ShardFilter is { } filter)
        {
            w.WritePropertyName("ShardFilter");
            w.WriteStartObject(1 + (filter.ShardId is null ? 0 : 1) + (filter.Timestamp is null ? 0 : 1));
            w.WritePropertyName("Type");
            w.WriteString(filter.Type switch
            {
                ShardFilterType.AfterShardId => "AFTER_SHARD_ID",
                ShardFilterType.AtTrimHorizon => "AT_TRIM_HORIZON",
                ShardFilterType.FromTrimHorizon => "FROM_TRIM_HORIZON",
                ShardFilterType.AtLatest => "AT_LATEST",
                ShardFilterType.AtTimestamp => "AT_TIMESTAMP",
                ShardFilterType.FromTimestamp => "FROM_TIMESTAMP",
                _ => throw new ArgumentOutOfRangeException(nameof(r), filter.Type, "Unknown shard filter type."),
            });
            if (filter.ShardId is not null)
            {
                w.WritePropertyName("ShardId");
                w.WriteString(filter.ShardId);
            }

            if (filter.Timestamp is { } at)
            {
                w.WritePropertyName("Timestamp");
                w.WriteTimestamp(at);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    public static void GetShardIterator(IWireWriter w, GetShardIteratorRequest r)
    {
        w.WriteStartObject(3 + (r.StartingSequenceNumber is null ? 0 : 1) + (r.Timestamp is null ? 0 : 1));
        WriteStream(w, r.StreamName, r.StreamArn);
        w.WritePropertyName("ShardId");
        w.WriteString(r.ShardId);
        w.WritePropertyName("ShardIteratorType");
        w.WriteString(r.IteratorType.ToWireName());
        if (r.StartingSequenceNumber is not null)
        {
            w.WritePropertyName("StartingSequenceNumber");
            w.WriteString(r.StartingSequenceNumber);
        }

        if (r.Timestamp is { } at)
        {
            w.WritePropertyName("Timestamp");
            w.WriteTimestamp(at);
        }

        w.WriteEndObject();
    }

    public static void PutRecord(IWireWriter w, PutRecordRequest r)
    {
        w.WriteStartObject(3 + (r.ExplicitHashKey is null ? 0 : 1) + (r.SequenceNumberForOrdering is null ? 0 : 1));
        WriteStream(w, r.StreamName, r.StreamArn);
        w.WritePropertyName("PartitionKey");
        w.WriteString(r.PartitionKey);
        w.WritePropertyName("Data");
        w.WriteBlob(r.Data.Span);
        if (r.ExplicitHashKey is not null)
        {
            w.WritePropertyName("ExplicitHashKey");
            w.WriteString(r.ExplicitHashKey);
        }

        if (r.SequenceNumberForOrdering is not null)
        {
            w.WritePropertyName("SequenceNumberForOrdering");
            w.WriteString(r.SequenceNumberForOrdering);
        }

        w.WriteEndObject();
    }

    public static void PutRecords(IWireWriter w, string? streamName, string? streamArn, IReadOnlyList<PutRecordsEntry> records)
    {
        w.WriteStartObject(2);
        WriteStream(w, streamName, streamArn);
        w.WritePropertyName("Records");
        w.WriteStartArray(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var entry = records[i];
            w.WriteStartObject(entry.ExplicitHashKey is null ? 2 : 3);
            w.WritePropertyName("Data");
            w.WriteBlob(entry.Data);
            if (entry.ExplicitHashKey is not null)
            {
                w.WritePropertyName("ExplicitHashKey");
                w.WriteString(entry.ExplicitHashKey);
            }

            w.WritePropertyName("PartitionKey");
            w.WriteString(entry.PartitionKey);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void ConsumerReference(IWireWriter w, string? consumerArn, string? streamArn, string? consumerName)
    {
        if (consumerArn is not null)
        {
            w.WriteStartObject(1);
            w.WritePropertyName("ConsumerARN");
            w.WriteString(consumerArn);
        }
        else
        {
            w.WriteStartObject(2);
            w.WritePropertyName("StreamARN");
            w.WriteString(streamArn!);
            w.WritePropertyName("ConsumerName");
            w.WriteString(consumerName!);
        }

        w.WriteEndObject();
    }

    private static void WriteMaxResults(IWireWriter w, int? maxResults)
    {
        if (maxResults is int max)
        {
            w.WritePropertyName("MaxResults");
            w.WriteInt64(max);
        }
    }

    private static void WriteStream(IWireWriter w, string? streamName, string? streamArn)
    {
        if (streamArn is not null)
        {
            w.WritePropertyName("StreamARN");
            w.WriteString(streamArn);
        }
        else
        {
            w.WritePropertyName("StreamName");
            w.WriteString(streamName!);
        }
    }
}
