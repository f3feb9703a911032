using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// The agent's settings: <c>agent.json</c> and its <c>agent.d/*.json</c> fragments, in the Amazon Kinesis
/// Agent's key names. Every default is listed here and in <c>Configuration/README.md</c>; keys the Java agent has
/// that change nothing here are kept (so a migrated file loads) and marked as such.
/// </summary>
internal sealed class AgentConfiguration
{
    /// <summary>Default <see cref="CheckpointFile"/>: under /var/lib so checkpoints survive a reboot (the Java agent's /var/run does not).</summary>
    public const string DefaultCheckpointFile = "/var/lib/kinesis-agent/checkpoints.db";

    /// <summary>Default <see cref="MaxBufferedBytes"/>: 8 MiB.</summary>
    public const long DefaultMaxBufferedBytes = 8L * 1024 * 1024;

    /// <summary>Default <see cref="CloudWatchNamespace"/>, the Java agent's.</summary>
    public const string DefaultCloudWatchNamespace = "AWSKinesisAgent";

    /// <summary>Default <see cref="MaxConnections"/>: the producer's (the KPL's) 24.</summary>
    public const int DefaultMaxConnections = 24;

    /// <summary><c>checkpointDatabase</c> (our addition): the SQLite file holding this agent's read positions. <value>Default: <see cref="DefaultCheckpointFile"/>.</value></summary>
    public string CheckpointFile { get; init; } = DefaultCheckpointFile;

    /// <summary>
    /// <c>checkpointFile</c>: the Java agent's checkpoint database, read (never written) to import its offsets on a
    /// flow's first start. <value>Default: <see langword="null"/>, the Java agent's <c>/var/run/aws-kinesis-agent/checkpoints</c>.</value>
    /// </summary>
    public string? JavaCheckpointFile { get; init; }

    /// <summary><c>checkpointTimeToLiveDays</c>: checkpoints of files not seen for this long are dropped. <value>Default: 7 days.</value></summary>
    public TimeSpan CheckpointTimeToLive { get; init; } = TimeSpan.FromDays(7);

    /// <summary><c>cloudwatch.emitMetrics</c>: publish the agent's metrics to CloudWatch. <value>Default: <see langword="true"/>.</value></summary>
    public bool CloudWatchEmitMetrics { get; init; } = true;

    /// <summary>
    /// <c>cloudwatch.endpoint</c>: an absolute http(s) URL; a bare host (as the Java agent allowed) gets
    /// <c>https://</c>. <value>Default: <see langword="null"/>, the regional endpoint.</value>
    /// </summary>
    public string? CloudWatchEndpoint { get; init; }

    /// <summary><c>cloudwatch.namespace</c>: the metrics namespace. <value>Default: <see cref="DefaultCloudWatchNamespace"/>.</value></summary>
    public string CloudWatchNamespace { get; init; } = DefaultCloudWatchNamespace;

    /// <summary><c>cloudwatch.metricsBufferTimeMillis</c>: how long metrics are gathered before each upload. <value>Default: 30 s.</value></summary>
    public TimeSpan CloudWatchMetricsBufferTime { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>kinesis.endpoint</c>: like <see cref="CloudWatchEndpoint"/>. <value>Default: <see langword="null"/>, the regional endpoint.</value></summary>
    public string? KinesisEndpoint { get; init; }

    /// <summary><c>firehose.endpoint</c>: the Firehose endpoint of <c>deliveryStream</c> flows, like <see cref="KinesisEndpoint"/>. <value>Default: <see langword="null"/>, the regional endpoint.</value></summary>
    public string? FirehoseEndpoint { get; init; }

    /// <summary><c>kinesis.region</c>: the AWS region, e.g. <c>eu-west-1</c>. <value>Default: <see langword="null"/>, the SDK's default chain.</value></summary>
    public string? Region { get; init; }

    /// <summary><c>sts.endpoint</c>: the STS endpoint for <see cref="AssumeRoleArn"/>, like <see cref="CloudWatchEndpoint"/>. <value>Default: <see langword="null"/>.</value></summary>
    public string? StsEndpoint { get; init; }

    /// <summary><c>awsAccessKeyId</c>: static credentials, given together with <see cref="AwsSecretAccessKey"/>. <value>Default: <see langword="null"/>, the SDK's default chain.</value></summary>
    public string? AwsAccessKeyId { get; init; }

    /// <summary><c>awsSecretAccessKey</c>: never logged, never in an error message. <value>Default: <see langword="null"/>.</value></summary>
    public string? AwsSecretAccessKey { get; init; }

    /// <summary><c>assumeRoleARN</c>: a role assumed (session name <c>AWSKinesisAgent</c>, 1 hour) with the other credentials. <value>Default: <see langword="null"/>.</value></summary>
    public string? AssumeRoleArn { get; init; }

    /// <summary><c>assumeRoleExternalId</c>: the external id for <see cref="AssumeRoleArn"/>, which it requires. <value>Default: <see langword="null"/>.</value></summary>
    public string? AssumeRoleExternalId { get; init; }

    /// <summary><c>shutdownTimeoutMillis</c>: how long stopping waits for records in flight. <value>Default: 10 s, the Java agent's.</value></summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary><c>maxBufferedBytes</c> (our addition): agent-wide bound on record bytes in flight. <value>Default: <see cref="DefaultMaxBufferedBytes"/>.</value></summary>
    public long MaxBufferedBytes { get; init; } = DefaultMaxBufferedBytes;

    /// <summary><c>maxConnections</c>: most concurrent requests to Kinesis. <value>Default: <see cref="DefaultMaxConnections"/>.</value></summary>
    public int MaxConnections { get; init; } = DefaultMaxConnections;

    /// <summary><c>log.level</c>: the minimum level logged. <value>Default: <see langword="null"/>, the host's (Information).</value></summary>
    public LogLevel? LogLevel { get; init; }

    /// <summary><c>log.statusReportingPeriodSeconds</c>: how often a progress summary is logged. <value>Default: 30 s.</value></summary>
    public TimeSpan StatusReportingPeriod { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary><c>flows</c>: the files to tail and where to send them; at least one.</summary>
    public required IReadOnlyList<FlowConfiguration> Flows { get; init; }

    /// <summary>
    /// Keys accepted for compatibility with the Java agent that change nothing here (thread pools, HTTP client
    /// tuning, log4j files, Firehose endpoint), with their values as written. See the README for why each is moot.
    /// </summary>
    public IReadOnlyDictionary<string, string> IgnoredSettings { get; init; } = new Dictionary<string, string>();
}
