using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>Events about the Java KCL fleet sharing the lease table: ids 2080-2089.</summary>
internal static partial class ConsumerLog
{
    [LoggerMessage(EventId = 2080, Level = LogLevel.Information, Message = "Lease table {Table}: the KCL fleet's client version is {ClientVersion} (Migration3.0 in table {RowTable})")]
    public static partial void FleetClientVersionChanged(ILogger logger, string table, string clientVersion, string rowTable);

    [LoggerMessage(EventId = 2081, Level = LogLevel.Warning, Message = "Lease table {Table}: the KCL fleet's client version could not be read: {Reason}; the worker carries on and reads it again at the next interval")]
    public static partial void FleetClientVersionReadFailed(ILogger logger, string table, string reason, Exception exception);

    [LoggerMessage(EventId = 2082, Level = LogLevel.Information, Message = "Lease table {Table}: the KCL fleet's client version is readable again")]
    public static partial void FleetClientVersionReadRecovered(ILogger logger, string table);

    [LoggerMessage(EventId = 2083, Level = LogLevel.Error, Message = "{Reason}")]
    public static partial void LeftLeaderFleet(ILogger logger, string reason);
}
