namespace Kinesis.Clients.Testing;

/// <summary>The limits a running proxy applies, copied from <see cref="LimitsProxyOptions"/> at start.</summary>
internal sealed record LimitSettings(
    bool Enforce,
    int WriteRecordsPerSecond,
    int WriteBytesPerSecond,
    int ReadCallsPerSecond,
    int ReadBytesPerSecond,
    TimeSpan Burst,
    TimeProvider Time,
    string AccountId,
    string Region)
{
    public static LimitSettings From(LimitsProxyOptions options) => new(
        options.EnforceLimits,
        options.WriteRecordsPerSecond,
        options.WriteBytesPerSecond,
        options.ReadCallsPerSecond,
        options.ReadBytesPerSecond,
        options.Burst,
        options.TimeProvider,
        options.AccountId,
        options.Region);
}
