using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Kinesis.Clients.Agent.Configuration;
using Kinesis.Clients.Producer;

namespace Kinesis.Clients.Agent;

/// <summary>Turns the agent's configuration into the options of its one producer.</summary>
internal static class ProducerSettings
{
    /// <summary>Room kept in every Kinesis record for the partition key (256 characters of up to 4 UTF-8 bytes).</summary>
    public const int PartitionKeyRoom = 1024;

    /// <summary>The role session name of <c>assumeRoleARN</c>, the Kinesis Agent's.</summary>
    public const string AssumeRoleSessionName = "AWSKinesisAgent";

    /// <summary>
    /// The options of a producer for the agent's flows; <paramref name="aggregate"/> false for flows with
    /// <c>kplAggregation</c> false (one Kinesis record per record). Each producer has the whole
    /// <c>maxBufferedBytes</c>.
    /// </summary>
    public static KinesisProducerOptions Create(AgentConfiguration config, AgentEngineOptions engine, bool aggregate = true)
    {
        // Firehose flows have their own producer (FirehoseProducerSettings).
        var flows = config.Flows.Where(f => !f.IsFirehose).ToList();
        return new KinesisProducerOptions
        {
            Region = config.Region,
            KinesisEndpoint = EndpointUri(config.KinesisEndpoint, "kinesis.endpoint"),
            Credentials = engine.Credentials ?? Credentials(config),
            AggregationEnabled = aggregate,

            // One producer serves every flow: the most demanding flow's batching settings win.
            RecordMaxBufferedTime = flows.Min(f => f.MaxBufferAge),
            CollectionMaxCount = Math.Min(500, flows.Min(f => f.MaxBufferSizeRecords)),
            // A request must hold at least one full aggregate (51,200 bytes plus framing), whatever the flows ask.
            CollectionMaxSize = Math.Clamp(flows.Min(f => f.MaxBufferSizeBytes), 52_224, 5 * 1024 * 1024),
            MaxUserRecordSize = flows.Max(f => f.MaxRecordSizeBytes) + PartitionKeyRoom,

            // The agent's memory bound: when it is full the tailers wait and the files hold the backlog.
            MaxBufferedBytes = config.MaxBufferedBytes,
            MaxConnections = config.MaxConnections,
            MaxBufferedRecords = (int)Math.Clamp(config.MaxBufferedBytes / 128, 10_000, int.MaxValue),

            // A file's lines keep their order on a shard even through retries (FILE keys keep a file on one shard).
            PreserveShardOrder = true,

            // Records are not given up quickly: a record that still fails is sent again by the agent, and its
            // file's checkpoint waits for it.
            RecordTtl = TimeSpan.FromMinutes(10),
            ShutdownTimeout = TimeSpan.FromSeconds(1),

            // The agent uploads its own metrics (AWSKinesisAgent); the producer's stay on its meter.
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            LoggerFactory = engine.LoggerFactory,
            TimeProvider = engine.TimeProvider,
        };
    }

    /// <summary>An endpoint as the Kinesis Agent accepts it: a URL, or a host name meaning https.</summary>
    public static Uri? EndpointUri(string? endpoint, string key)
    {
        if (string.IsNullOrEmpty(endpoint))
        {
            return null;
        }

        var text = endpoint.Contains("://", StringComparison.Ordinal) ? endpoint : "https://" + endpoint;
        return Uri.TryCreate(text, UriKind.Absolute, out var uri)
            ? uri
            : throw new ArgumentException($"{key} '{endpoint}' is not a URL or host name.", nameof(endpoint));
    }

    internal static AWSCredentials? Credentials(AgentConfiguration config)
    {
        AWSCredentials? source = config.AwsAccessKeyId is not null && config.AwsSecretAccessKey is not null
            ? new BasicAWSCredentials(config.AwsAccessKeyId, config.AwsSecretAccessKey)
            : null;
        if (config.AssumeRoleArn is null)
        {
            return source;
        }

        // AWSSDK.Core's assume-role provider refreshes before expiry; Kinesis.Clients.Core makes its STS call with
        // the source credentials, also in the natively compiled program (src/Core/Auth/README.md). The SDK reads
        // the STS endpoint from its environment variable (one set by the operator wins).
        if (config.StsEndpoint is not null && Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_STS") is null)
        {
            Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_STS", EndpointUri(config.StsEndpoint, "sts.endpoint")!.ToString());
        }

        // The Kinesis Agent's session name and one-hour sessions.
        return new AssumeRoleAWSCredentials(
            source ?? DefaultAWSCredentialsIdentityResolver.GetCredentials(null),
            config.AssumeRoleArn,
            AssumeRoleSessionName,
            new AssumeRoleAWSCredentialsOptions { ExternalId = config.AssumeRoleExternalId, DurationSeconds = 3600 });
    }
}
