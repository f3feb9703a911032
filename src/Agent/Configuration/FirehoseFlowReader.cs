using Kinesis.Clients.Firehose;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// What a flow's destination changes in its reading: <c>kinesisStream</c> or <c>deliveryStream</c> (exactly one),
/// the partition key keys (Kinesis only), the buffer limits (capped at PutRecords' or PutRecordBatch's, with the Java
/// agent's defaults for each kind) and <c>aggregatedRecordSizeBytes</c> (an effect on Firehose flows only).
/// </summary>
internal static partial class FlowReader
{
    private static readonly string[] KinesisOnlyKeys = ["partitionKeyOption", "partitionKeyField", "partitionKeyPattern", "kplAggregation"];

    private static (string? KinesisStream, string? DeliveryStream) Destination(ConfigObject o)
    {
        var hasKinesis = o.Has("kinesisStream");
        var hasFirehose = o.Has("deliveryStream");
        if (hasKinesis && hasFirehose)
        {
            throw o.Error("deliveryStream", "cannot be given with kinesisStream: a flow sends to one Kinesis data stream or one Firehose delivery stream");
        }

        if (hasFirehose)
        {
            var name = o.RequiredString("deliveryStream", "the name of the Firehose delivery stream to send to");
            try
            {
                FirehoseLimits.ValidateDeliveryStreamName(name);
            }
            catch (ArgumentException)
            {
                throw o.Error("deliveryStream", $"'{name}' is not a delivery stream name; allowed: 1-64 characters of a-z, A-Z, 0-9, '_', '.', '-'");
            }

            return (null, name);
        }

        var stream = o.RequiredString("kinesisStream", "the name of the Kinesis data stream (or, as deliveryStream, the Firehose delivery stream) to send to");
        if (!StreamName().IsMatch(stream))
        {
            throw o.Error("kinesisStream", $"'{ConfigObject.Shown(stream)}' is not a stream name; allowed: 1-128 characters of a-z, A-Z, 0-9, '_', '.', '-'");
        }

        return (stream, null);
    }

    private static void RefuseKinesisKeys(ConfigObject o)
    {
        foreach (var key in KinesisOnlyKeys)
        {
            if (o.Has(key))
            {
                throw o.Error(key, "is a Kinesis data stream setting; this flow sends to a Firehose delivery stream (deliveryStream), which has neither partition keys nor KPL aggregation");
            }
        }
    }

    private static int AggregatedRecordSize(ConfigObject o) =>
        o.Int32("aggregatedRecordSizeBytes", 0, 0, FirehoseLimits.MaxRecordBytes);

    /// <summary>A flow's buffer limits and defaults: one PutRecords or one PutRecordBatch request, as in the Java agent.</summary>
    private readonly record struct BufferLimits(int Records, int Bytes, int DefaultRecordBytes, int MaxRecordBytes)
    {
        public static BufferLimits For(bool firehose) => firehose
            ? new(FirehoseLimits.MaxRecordsPerBatch, FirehoseLimits.MaxBatchBytes, FirehoseLimits.MaxRecordBytes, FirehoseLimits.MaxRecordBytes)
            : new(FlowConfiguration.MaxPutRecordsCount, FlowConfiguration.MaxPutRecordsBytes, FlowConfiguration.DefaultMaxRecordSizeBytes, (10 * 1024 * 1024) - 1024);
    }
}
