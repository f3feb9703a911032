using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Producer.Firehose;

/// <summary>The Firehose producer's own log lines (event ids 1100-1199; the shared ones are <see cref="ProducerLog"/>'s).</summary>
internal static partial class FirehoseLog
{
    [LoggerMessage(EventId = 1100, Level = LogLevel.Debug, Message = "PutRecordBatch to delivery stream {DeliveryStream}: {Failed} of {Sent} records failed ({ErrorCode}); retrying after backoff")]
    public static partial void PartialFailure(ILogger logger, string deliveryStream, int failed, int sent, string? errorCode);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "PutRecordBatch to delivery stream {DeliveryStream} failed: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string deliveryStream, string reason);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Error, Message = "The pipeline of delivery stream {DeliveryStream} stopped unexpectedly; its records are failed")]
    public static partial void PipelineCrashed(ILogger logger, string deliveryStream, Exception exception);
}
