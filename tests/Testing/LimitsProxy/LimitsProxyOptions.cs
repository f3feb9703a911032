namespace Kinesis.Clients.Testing;

/// <summary>
/// Settings of a <see cref="KinesisLimitsProxy"/>. The limits default to the real per-shard limits of
/// Kinesis Data Streams (provisioned mode). Read once when the proxy starts; faults are changed while it
/// runs through <see cref="KinesisLimitsProxy.Faults"/>.
/// </summary>
public sealed class LimitsProxyOptions
{
    /// <summary>Whether the per-shard limits apply. <value>Default: <see langword="true"/>; off makes a pure sink.</value></summary>
    public bool EnforceLimits { get; set; } = true;

    /// <summary>Records a shard accepts per second. <value>Default: 1,000.</value></summary>
    public int WriteRecordsPerSecond { get; set; } = 1000;

    /// <summary>
    /// Bytes (data plus UTF-8 partition key) a shard accepts per second. <value>Default: 1 MiB (1,048,576).</value>
    /// </summary>
    public int WriteBytesPerSecond { get; set; } = 1024 * 1024;

    /// <summary>GetRecords calls a shard answers per second. <value>Default: 5.</value></summary>
    public int ReadCallsPerSecond { get; set; } = 5;

    /// <summary>Record data bytes a shard returns per second. <value>Default: 2 MiB (2,097,152).</value></summary>
    public int ReadBytesPerSecond { get; set; } = 2 * 1024 * 1024;

    /// <summary>
    /// How much unused capacity a shard can save up, as time at the full rate: each bucket holds
    /// rate × <c>Burst</c> and starts full. <value>Default: 1 second.</value>
    /// </summary>
    public TimeSpan Burst { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The clock that refills the buckets and times <see cref="LimitsProxyFaults.Latency"/>; a fake clock makes
    /// refills deterministic. <value>Default: <see cref="TimeProvider.System"/>.</value>
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// Seed of the random source behind the fault rates, so a failing run can be repeated.
    /// <value>Default: 1.</value>
    /// </summary>
    public int FaultSeed { get; set; } = 1;

    /// <summary>The account named in error messages and ARNs. <value>Default: <c>000000000000</c>.</value></summary>
    public string AccountId { get; set; } = "000000000000";

    /// <summary>
    /// The region of standalone ARNs, and of the proxy's own ListShards calls when the request that needs the
    /// shard map carries no signature to copy. <value>Default: <c>us-east-1</c>.</value>
    /// </summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>
    /// Called for every record accepted (in proxy mode: once the backend accepted it), on the request's
    /// thread before the reply is sent. The data is valid only during the call; copy what you keep. An exception
    /// it throws becomes an HTTP 500 InternalFailure reply naming it.
    /// <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public AcceptedRecordHandler? OnAccepted { get; set; }

    /// <summary>Connections the proxy keeps to the backend at most. <value>Default: 64.</value></summary>
    public int MaxBackendConnections { get; set; } = 64;

    internal void Validate()
    {
        Positive(WriteRecordsPerSecond, nameof(WriteRecordsPerSecond));
        Positive(WriteBytesPerSecond, nameof(WriteBytesPerSecond));
        Positive(ReadCallsPerSecond, nameof(ReadCallsPerSecond));
        Positive(ReadBytesPerSecond, nameof(ReadBytesPerSecond));
        Positive(MaxBackendConnections, nameof(MaxBackendConnections));
        if (Burst <= TimeSpan.Zero)
        {
            throw new ArgumentException($"Burst must be positive; got {Burst}.", nameof(Burst));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentException.ThrowIfNullOrWhiteSpace(AccountId, nameof(AccountId));
        ArgumentException.ThrowIfNullOrWhiteSpace(Region, nameof(Region));
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentException($"{name} must be at least 1; got {value}.", name);
        }
    }
}
