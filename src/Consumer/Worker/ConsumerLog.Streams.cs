using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>Multi-stream events: ids 2070-2079.</summary>
internal static partial class ConsumerLog
{
    [LoggerMessage(EventId = 2070, Level = LogLevel.Information, Message = "Stream {Stream} tracked as {Identifier}")]
    public static partial void StreamTracked(ILogger logger, string stream, StreamIdentifier identifier);

    [LoggerMessage(EventId = 2071, Level = LogLevel.Warning, Message = "Stream {Stream} could not be identified (DescribeStreamSummary): {Reason}; tried again at the next stream sync")]
    public static partial void StreamNotIdentified(ILogger logger, string stream, string reason, Exception exception);

    [LoggerMessage(EventId = 2072, Level = LogLevel.Information, Message = "Stream {Identifier} is no longer tracked: its shards are no longer synced; its leases {Fate}")]
    public static partial void StreamUntracked(ILogger logger, StreamIdentifier identifier, string fate);

    [LoggerMessage(EventId = 2073, Level = LogLevel.Information, Message = "Deleted {Count} leases of former stream {Identifier} ({Left} left for a later round)")]
    public static partial void FormerStreamLeasesDeleted(ILogger logger, int count, string identifier, int left);
}
