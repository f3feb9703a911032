using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Encryption;

internal static partial class EncryptionLog
{
    [LoggerMessage(EventId = 1201, Level = LogLevel.Error,
        Message = "KMS refused to decrypt a data key of {KeyId} ({ErrorCode}: {Reason}); records under that key are reported failed, and this is logged once per key")]
    public static partial void KeyRefused(ILogger logger, string keyId, string? errorCode, string reason);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Warning,
        Message = "KMS Decrypt for {KeyId} failed ({ErrorCode}); trying again in {Delay}")]
    public static partial void DecryptRetry(ILogger logger, string keyId, string? errorCode, TimeSpan delay);
}
