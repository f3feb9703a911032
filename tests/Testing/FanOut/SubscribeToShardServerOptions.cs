namespace Kinesis.Clients.Testing;

/// <summary>How a <see cref="SubscribeToShardServer"/> behaves when no <see cref="SubscriptionScript"/> says otherwise.</summary>
public sealed class SubscribeToShardServerOptions
{
    /// <summary>
    /// Whether the server speaks HTTP/2 over TLS (1.2 or 1.3, ALPN <c>h2</c> only, a <see cref="LoopbackCertificate"/>
    /// made at start-up), as the service does, or cleartext HTTP/2 with prior knowledge, as a LocalStack-style
    /// <c>http://</c> edge does. Read when the server starts. <value>Default: <see langword="true"/>.</value>
    /// </summary>
    public bool UseTls { get; set; } = true;

    /// <summary>How long a subscription lasts before the server ends it. <value>Default: 5 minutes, as the service.</value></summary>
    public TimeSpan SubscriptionLifetime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Within this time of an accepted subscription, another one of the same consumer and shard is refused with
    /// <c>ResourceInUseException</c>; after it, the new one takes over and the old one gets that exception as an event.
    /// <value>Default: 5 seconds, as the service.</value>
    /// </summary>
    public TimeSpan ResubscribeGuard { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How often an event without records is sent while the shard is idle. <value>Default: 5 seconds (the service
    /// sends one every few seconds; its exact cadence is not documented).</value>
    /// </summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the backing shard is read for new records. <value>Default: 100 ms.</value></summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The most records one event carries (one GetRecords call). <value>Default: 1,000.</value></summary>
    public int MaxRecordsPerEvent { get; set; } = 1000;
}
