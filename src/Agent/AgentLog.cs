using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent;

/// <summary>The agent host's and shipping's log events; ids 3000-3099 (tailing 3100s, checkpoints 3200s).</summary>
internal static partial class AgentLog
{
    [LoggerMessage(EventId = 3000, Level = LogLevel.Information, Message = "kinesis-agent started: {Flows} flows from {ConfigFile}, checkpoints in {CheckpointFile}")]
    public static partial void Started(ILogger logger, int flows, string configFile, string checkpointFile);

    [LoggerMessage(EventId = 3001, Level = LogLevel.Information, Message = "Flow {FlowId}: tailing {FilePattern} into stream {Stream}")]
    public static partial void FlowStarted(ILogger logger, string flowId, string filePattern, string stream);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Stopping: flushing records in flight (up to {Timeout}) and saving checkpoints")]
    public static partial void Stopping(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Stopping: {Records} records were not acknowledged within {Timeout}; their lines are read again at the next start")]
    public static partial void StopLeftRecords(ILogger logger, long records, TimeSpan timeout);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "kinesis-agent stopped; checkpoints saved")]
    public static partial void Stopped(ILogger logger);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Warning, Message = "{Count} records for stream {Stream} failed ({ErrorCode}: {ErrorMessage}); sending them again after {Pause}")]
    public static partial void RecordsFailed(ILogger logger, long count, string stream, string errorCode, string errorMessage, TimeSpan pause);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Error, Message = "Flow {FlowId} stopped with an error")]
    public static partial void FlowFailed(ILogger logger, string flowId, Exception exception);

    [LoggerMessage(EventId = 3007, Level = LogLevel.Information, Message = "Flow {FlowId}: {Files} files tailed, {BytesBehind} bytes behind; stream {Stream}: records parsed {Parsed}, sent {Sent}, send errors {SendErrors}, processing errors {ProcessingErrors}, skipped {Skipped}")]
    public static partial void Status(ILogger logger, string flowId, int files, long bytesBehind, string stream, long parsed, long sent, long sendErrors, long processingErrors, long skipped);

    [LoggerMessage(EventId = 3008, Level = LogLevel.Information, Message = "Setting {Key} = {Value} is accepted for compatibility and has no effect here (see the configuration README)")]
    public static partial void SettingIgnored(ILogger logger, string key, string value);
}
