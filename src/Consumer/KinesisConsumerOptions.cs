using Amazon.Runtime;
using Kinesis.Clients.Metrics;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer;

/// <summary>
/// Settings for <see cref="KinesisConsumer"/>, with the KCL's names and defaults where they apply. Validated
/// when the consumer is built: a bad value throws <see cref="ArgumentException"/> naming it.
/// </summary>
public sealed partial class KinesisConsumerOptions
{
    /// <summary>
    /// The application, shared by every worker of it: the lease table's name unless <see cref="LeaseTableName"/> is
    /// set, and the CloudWatch namespace. Required.
    /// </summary>
    public string ApplicationName { get; set; } = "";

    /// <summary>The stream to consume. Required unless <see cref="StreamArn"/> or <see cref="Streams"/> is set.</summary>
    public string StreamName { get; set; } = "";

    /// <summary>This worker's id in the lease table. <value>Default: host name, process id and a random suffix.</value></summary>
    public string WorkerId { get; set; } = DefaultWorkerId();

    /// <summary>Where shards without a checkpoint start. <value>Default: <see cref="InitialPosition.Latest"/>, as the KCL.</value></summary>
    public InitialPosition InitialPosition { get; set; } = InitialPosition.Latest;

    /// <summary>Polling (GetRecords) or enhanced fan-out (SubscribeToShard). <value>Default: <see cref="RetrievalMode.Polling"/>.</value></summary>
    public RetrievalMode RetrievalMode { get; set; } = RetrievalMode.Polling;

    /// <summary>
    /// Enhanced fan-out settings (consumer name or ARN, resubscribe and silence times), used with
    /// <see cref="RetrievalMode.EnhancedFanOut"/>. <value>Default: the consumer is named after the application.</value>
    /// </summary>
    public Kinesis.Clients.Consumer.FanOut.FanOutOptions FanOut { get; set; } = new();

    /// <summary>
    /// How records encrypted by this suite's producer (<c>KinesisProducerOptions.Encryption</c>) are decrypted: the KMS
    /// client (made with <see cref="Region"/> and <see cref="Credentials"/> at the first encrypted record when not given)
    /// and the bounded cache of data keys. Needs <c>kms:Decrypt</c> on the producer's key. A record that does not
    /// decrypt reaches the processor empty, with <see cref="ConsumerRecord.DecodeFailure"/> saying why; <see langword="null"/>
    /// decrypts nothing (every encrypted record is delivered that way).
    /// <value>Default: <see cref="Kinesis.Clients.Encryption.RecordDecryption"/>'s defaults (1,000 keys, 5 minutes).</value>
    /// </summary>
    public Kinesis.Clients.Encryption.RecordDecryption? Decryption { get; set; } = new();

    /// <summary>A lease whose counter has not moved for this long (on this worker's clock) is expired. <value>Default: 10 s.</value></summary>
    public TimeSpan FailoverTime { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often held leases are renewed. <value>Default: <see langword="null"/>, a third of <see cref="FailoverTime"/>.</value></summary>
    public TimeSpan? LeaseRenewalInterval { get; set; }

    /// <summary>
    /// How often the worker lists the lease table to find leases to take (each listing is one Scan of the table).
    /// Expiry counts from when this worker first sees a lease's counter, so a counter seen late is a lease taken late:
    /// listing well within one renewal interval keeps a takeover after a crash within failover + one renewal interval,
    /// and a released lease is taken about a second after a graceful shutdown. A large table read by many workers
    /// costs read capacity at this rate; a longer interval trades takeover time for fewer reads (the KCL lists every
    /// 2 × failover). <value>Default: <see langword="null"/>, a third of the renewal interval (1.1 s with the default failover).</value>
    /// </summary>
    public TimeSpan? LeaseTakingInterval { get; set; }

    /// <summary>How often the shard list is read to create leases for new shards. <value>Default: 60 s.</value></summary>
    public TimeSpan ShardSyncInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Most records per GetRecords call. <value>Default: 10,000.</value></summary>
    public int MaxRecords { get; set; } = 10_000;

    /// <summary>Wait after a GetRecords call that returned nothing. <value>Default: 1 s.</value></summary>
    public TimeSpan IdleTimeBetweenReads { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a child shard waiting for its parents looks again (a parent finished by this worker wakes it at once). <value>Default: 10 s.</value></summary>
    public TimeSpan ParentShardPollInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// How long a graceful shutdown (or a KCL 3.x handoff) waits for processors to finish the batch in flight (its
    /// checkpoint lands) and then <see cref="IRecordProcessor.ShutdownRequestedAsync"/>, together, before the calls'
    /// cancellation tokens are cancelled and the leases released. <value>Default: 20 s.</value>
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>The AWS region. <value>Default: resolved like the AWS SDKs.</value></summary>
    public string? Region { get; set; }

    /// <summary>The Kinesis endpoint. <value>Default: <c>AWS_ENDPOINT_URL_KINESIS</c>, <c>AWS_ENDPOINT_URL</c>, regional.</value></summary>
    public Uri? KinesisEndpoint { get; set; }

    /// <summary>The DynamoDB endpoint for the lease table. <value>Default: <c>AWS_ENDPOINT_URL_DYNAMODB</c>, <c>AWS_ENDPOINT_URL</c>, regional.</value></summary>
    public Uri? DynamoDbEndpoint { get; set; }

    /// <summary>Credentials. <value>Default: AWSSDK.Core's default chain.</value></summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>
    /// Which of the KCL metrics are uploaded to CloudWatch (the KCL's <c>metricsLevel</c>); see also
    /// <see cref="MetricsNamespace"/>, <see cref="MetricsEnabledDimensions"/>. <value>Default: <see cref="MetricsLevel.Detailed"/>.</value>
    /// </summary>
    public MetricsLevel MetricsLevel { get; set; } = MetricsLevel.Detailed;

    /// <summary>The CloudWatch endpoint. <value>Default: resolved like the AWS SDKs.</value></summary>
    public Uri? CloudWatchEndpoint { get; set; }

    /// <summary>Logging. <value>Default: none.</value></summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Clock for leases, reads and back-off. <value>Default: <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    private static string DefaultWorkerId()
    {
        var id = $"{Environment.MachineName}:{Environment.ProcessId}:{Guid.NewGuid():N}";
        return id.Length <= 128 ? id : id[^128..];
    }

    internal TimeSpan EffectiveRenewalInterval => LeaseRenewalInterval ?? FailoverTime / 3;

    internal TimeSpan EffectiveTakeInterval => LeaseTakingInterval ?? EffectiveRenewalInterval / 3;

    internal void Validate()
    {
        ValidateStreamAndLeases();
        ValidateCleanup();
        ValidateFailureHandling();
        ValidateMetrics();
        if (ApplicationName.Length is < 3 or > 255 || !ApplicationName.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-'))
        {
            throw new ArgumentException(
                $"ApplicationName names the lease table: 3 to 255 characters of a-z, A-Z, 0-9, '_', '.', '-'; got '{ApplicationName}'.",
                nameof(ApplicationName));
        }

        if (string.IsNullOrWhiteSpace(WorkerId) || WorkerId.Length > 256)
        {
            throw new ArgumentException($"WorkerId must be 1 to 256 characters; got '{WorkerId}'.", nameof(WorkerId));
        }

        ArgumentNullException.ThrowIfNull(InitialPosition, nameof(InitialPosition));
        Positive(FailoverTime, nameof(FailoverTime));
        Positive(ShardSyncInterval, nameof(ShardSyncInterval));
        if (LeaseTakingInterval is { } taking && (taking <= TimeSpan.Zero || taking > 2 * FailoverTime))
        {
            throw new ArgumentException(
                $"LeaseTakingInterval ({taking}) must be positive and at most twice FailoverTime ({FailoverTime}), the KCL's own interval.",
                nameof(LeaseTakingInterval));
        }

        Positive(ParentShardPollInterval, nameof(ParentShardPollInterval));
        Positive(ShutdownTimeout, nameof(ShutdownTimeout));
        if (EffectiveRenewalInterval <= TimeSpan.Zero || EffectiveRenewalInterval > FailoverTime / 2)
        {
            throw new ArgumentException(
                $"LeaseRenewalInterval ({EffectiveRenewalInterval}) must be positive and at most half of FailoverTime ({FailoverTime}), or leases expire between renewals.",
                nameof(LeaseRenewalInterval));
        }

        if (MaxRecords is < 1 or > 10_000)
        {
            throw new ArgumentException($"MaxRecords must be between 1 and 10,000; got {MaxRecords}.", nameof(MaxRecords));
        }

        if (IdleTimeBetweenReads < TimeSpan.FromMilliseconds(200))
        {
            throw new ArgumentException(
                $"IdleTimeBetweenReads must be at least 200 ms (a shard allows 5 reads a second); got {IdleTimeBetweenReads}.",
                nameof(IdleTimeBetweenReads));
        }

        if (!Enum.IsDefined(RetrievalMode))
        {
            throw new ArgumentException($"RetrievalMode must be Polling or EnhancedFanOut; got {(int)RetrievalMode}.", nameof(RetrievalMode));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
        ArgumentNullException.ThrowIfNull(FanOut, nameof(FanOut));
        Decryption?.Validate(nameof(Decryption));
        if (RetrievalMode == RetrievalMode.EnhancedFanOut)
        {
            FanOut.Validate();
        }
    }

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{name} must be a positive, finite time; got {value}.", name);
        }
    }
}
