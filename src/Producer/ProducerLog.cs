using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Producer;

/// <summary>The producer's log events; ids 1000-1099.</summary>
internal static partial class ProducerLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Shard map of stream {Stream} refreshed: {OpenShards} open shards (version {Version})")]
    public static partial void ShardMapRefreshed(ILogger logger, string stream, int openShards, long version);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Warning, Message = "Listing the shards of stream {Stream} failed: {Reason}; records wait and expire by their TTL if it keeps failing")]
    public static partial void ShardMapFailed(ILogger logger, string stream, string reason, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Debug, Message = "PutRecords to stream {Stream} attempt {Attempt}: {Failed} of {Sent} records failed ({ErrorCode}); retrying after backoff")]
    public static partial void PartialFailure(ILogger logger, string stream, int attempt, int failed, int sent, string? errorCode);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Warning, Message = "PutRecords to stream {Stream} failed: {Reason}")]
    public static partial void RequestFailed(ILogger logger, string stream, string reason);

    [LoggerMessage(EventId = 1004, Level = LogLevel.Information, Message = "{Count} records of stream {Stream} landed outside the shard they were aggregated for; re-sending them to the shard their hash keys map to")]
    public static partial void Misplaced(ILogger logger, string stream, int count);

    [LoggerMessage(EventId = 1005, Level = LogLevel.Error, Message = "A callback (OnRecordFailed, OnPutRecordsRequest or an IPutObserver) threw; later outcomes are still reported")]
    public static partial void CallbackFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 1006, Level = LogLevel.Warning, Message = "Producer shut down with {Count} records unsent after waiting {Timeout}; they are reported as ProducerDisposed")]
    public static partial void ShutdownLeftRecords(ILogger logger, long count, TimeSpan timeout);

    [LoggerMessage(EventId = 1007, Level = LogLevel.Error, Message = "The pipeline of stream {Stream} stopped unexpectedly; its records are failed")]
    public static partial void PipelineCrashed(ILogger logger, string stream, Exception exception);

    [LoggerMessage(EventId = 1008, Level = LogLevel.Error, Message = "{Reason} Records wait in the buffer and are retried; this is logged once per cause")]
    public static partial void CredentialsFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 1009, Level = LogLevel.Information, Message = "AWS credentials work again; waiting records are being sent")]
    public static partial void CredentialsRecovered(ILogger logger);

    [LoggerMessage(EventId = 1010, Level = LogLevel.Warning, Message = "Stream {Stream}: {Count} records could not be encrypted and wait for the next attempt: {Reason}")]
    public static partial void EncryptionFailed(ILogger logger, string stream, int count, string reason);

    [LoggerMessage(EventId = 1011, Level = LogLevel.Information, Message = "KPL configuration key {Key} does not apply to this producer and was ignored: {Why}")]
    public static partial void KplKeyNotApplicable(ILogger logger, string key, string why);
}
