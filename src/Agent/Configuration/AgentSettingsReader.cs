using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>Reads the top-level keys of the merged configuration into an <see cref="AgentConfiguration"/>.</summary>
internal static partial class AgentSettingsReader
{
    /// <summary>Every top-level key the agent accepts.</summary>
    public static readonly string[] Keys =
    [
        "flows", "checkpointFile", "checkpointTimeToLiveDays", "checkpointDatabase",
        "cloudwatch.emitMetrics", "cloudwatch.endpoint", "cloudwatch.namespace", "cloudwatch.metricsBufferTimeMillis",
        "cloudwatch.metricsQueueSize", "cloudwatch.tagInstance",
        "kinesis.endpoint", "kinesis.region", "firehose.endpoint", "sts.endpoint",
        "awsAccessKeyId", "awsSecretAccessKey", "assumeRoleARN", "assumeRoleExternalId",
        "shutdownTimeoutMillis", "maxBufferedBytes", "maxConnections",
        "log.level", "log.file", "log.maxBackupIndex", "log.maxFileSize", "log.emitMetrics", "log.emitInternalMetrics",
        "log.statusReportingPeriodSeconds",
        "maxSendingThreads", "maxSendingThreadsPerCore", "sendingThreadsKeepAliveMillis", "sendingThreadsMaxQueueSize",
        "connectionTimeoutMillis", "connectionTTLMillis", "socketTimeoutMillis", "useTcpKeepAlive", "useHttpGzip",
        "userAgent", "userAgentOverride",
        "checkpoints.queryTimeoutSeconds", "checkpoints.connectionTimeoutSeconds",
    ];

    /// <summary>Java agent keys refused with an explanation: accepting them would silently change whose credentials are used.</summary>
    public static readonly IReadOnlyDictionary<string, string> Unsupported = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["userDefinedCredentialsProvider.classname"] = CustomProvider,
        ["userDefinedCredentialsProvider.location"] = CustomProvider,
    };

    private const string CustomProvider =
        "Java credential provider classes cannot be loaded by kinesis-agent; use the default chain (environment, "
        + "profile, instance or container role), awsAccessKeyId/awsSecretAccessKey, or assumeRoleARN";

    private static readonly (string, LogLevel?)[] LogLevels =
    [
        ("TRACE", LogLevel.Trace), ("DEBUG", LogLevel.Debug), ("INFO", LogLevel.Information),
        ("WARN", LogLevel.Warning), ("ERROR", LogLevel.Error),
    ];

    /// <summary>Reads the settings; <paramref name="flows"/> are already read.</summary>
    public static AgentConfiguration Read(ConfigObject o, IReadOnlyList<FlowConfiguration> flows)
    {
        var accessKey = OptionalNonEmpty(o, "awsAccessKeyId");
        var secretKey = OptionalNonEmpty(o, "awsSecretAccessKey");
        if ((accessKey is null) != (secretKey is null))
        {
            var missing = accessKey is null ? "awsAccessKeyId" : "awsSecretAccessKey";
            var given = accessKey is null ? "awsSecretAccessKey" : "awsAccessKeyId";
            throw new AgentConfigurationException(o.FileOf(given), given,
                $"is given without {missing}; give both, or neither to use the default credential chain");
        }

        var roleArn = OptionalNonEmpty(o, "assumeRoleARN");
        if (roleArn is not null && !RoleArn().IsMatch(roleArn))
        {
            throw o.Error("assumeRoleARN", $"'{roleArn}' is not an IAM role ARN; allowed: arn:aws:iam::123456789012:role/name (any partition)");
        }

        var externalId = OptionalNonEmpty(o, "assumeRoleExternalId");
        if (externalId is not null && roleArn is null)
        {
            throw o.Error("assumeRoleExternalId", "is only used with assumeRoleARN, which is not set");
        }

        return new AgentConfiguration
        {
            Flows = flows,
            CheckpointFile = AbsoluteFile(o, "checkpointDatabase") ?? AgentConfiguration.DefaultCheckpointFile,
            JavaCheckpointFile = JavaCheckpointFile(o),
            CheckpointTimeToLive = TimeSpan.FromDays(o.Int32("checkpointTimeToLiveDays", 7, 1, 3650)),
            CloudWatchEmitMetrics = o.Boolean("cloudwatch.emitMetrics", true),
            CloudWatchEndpoint = Endpoint(o, "cloudwatch.endpoint"),
            CloudWatchNamespace = Namespace(o, "cloudwatch.namespace"),
            CloudWatchMetricsBufferTime = o.Millis("cloudwatch.metricsBufferTimeMillis", 30_000, 1_000, 3_600_000),
            KinesisEndpoint = Endpoint(o, "kinesis.endpoint"),
            FirehoseEndpoint = Endpoint(o, "firehose.endpoint"),
            Region = Region(o, "kinesis.region"),
            StsEndpoint = Endpoint(o, "sts.endpoint"),
            AwsAccessKeyId = accessKey,
            AwsSecretAccessKey = secretKey,
            AssumeRoleArn = roleArn,
            AssumeRoleExternalId = externalId,
            ShutdownTimeout = o.Millis("shutdownTimeoutMillis", 10_000, 0, 3_600_000),
            MaxBufferedBytes = o.Int64("maxBufferedBytes", AgentConfiguration.DefaultMaxBufferedBytes, 1L << 20, 64L << 30),
            MaxConnections = o.Int32("maxConnections", AgentConfiguration.DefaultMaxConnections, 1, 1024),
            LogLevel = o.Enum("log.level", null, LogLevels),
            StatusReportingPeriod = TimeSpan.FromSeconds(o.Int32("log.statusReportingPeriodSeconds", 30, 1, 86_400)),
            IgnoredSettings = Ignored(o),
        };
    }

    private static Dictionary<string, string> Ignored(ConfigObject o)
    {
        // Validated like the Java agent would read them, then kept only to be reported as having no effect.
        o.Int32("cloudwatch.metricsQueueSize", 10_000, 1, int.MaxValue);
        o.Boolean("cloudwatch.tagInstance", false);
        AbsoluteFile(o, "log.file");
        o.Int32("log.maxBackupIndex", -1, -1, int.MaxValue);
        o.Int64("log.maxFileSize", -1, -1, long.MaxValue);
        o.Boolean("log.emitMetrics", false);
        o.Boolean("log.emitInternalMetrics", false);
        o.Int32("maxSendingThreads", 1, 1, int.MaxValue);
        o.Int32("maxSendingThreadsPerCore", 12, 1, int.MaxValue);
        o.Int64("sendingThreadsKeepAliveMillis", 60_000, 0, long.MaxValue);
        o.Int32("sendingThreadsMaxQueueSize", 100, 1, int.MaxValue);
        o.Int32("connectionTimeoutMillis", 10_000, 0, int.MaxValue);
        o.Int64("connectionTTLMillis", -1, -1, long.MaxValue);
        o.Int32("socketTimeoutMillis", 50_000, 0, int.MaxValue);
        o.Boolean("useTcpKeepAlive", false);
        o.Boolean("useHttpGzip", false);
        o.OptionalString("userAgent");
        o.OptionalString("userAgentOverride");
        o.Int32("checkpoints.queryTimeoutSeconds", 30, 0, int.MaxValue);
        o.Int32("checkpoints.connectionTimeoutSeconds", 5, 0, int.MaxValue);

        var ignored = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in NoEffect)
        {
            if (o.TryGet(key, out var value))
            {
                ignored[key] = value.ValueKind == JsonValueKind.String ? value.GetString()! : value.GetRawText();
            }
        }

        return ignored;
    }

    /// <summary>Top-level keys accepted for compatibility that change nothing.</summary>
    public static readonly string[] NoEffect =
    [
        "cloudwatch.metricsQueueSize", "cloudwatch.tagInstance",
        "log.file", "log.maxBackupIndex", "log.maxFileSize", "log.emitMetrics", "log.emitInternalMetrics",
        "maxSendingThreads", "maxSendingThreadsPerCore", "sendingThreadsKeepAliveMillis", "sendingThreadsMaxQueueSize",
        "connectionTimeoutMillis", "connectionTTLMillis", "socketTimeoutMillis", "useTcpKeepAlive", "useHttpGzip",
        "userAgent", "userAgentOverride",
        "checkpoints.queryTimeoutSeconds", "checkpoints.connectionTimeoutSeconds",
    ];

    /// <summary>
    /// <c>checkpointFile</c> names the Java agent's checkpoint database, as it did for the Java agent. Named
    /// explicitly, a file that exists must be readable as one, or the configuration is refused (a migration that
    /// silently re-sent or skipped the logs would be worse); a missing file has nothing to import.
    /// </summary>
    private static string? JavaCheckpointFile(ConfigObject o)
    {
        var path = AbsoluteFile(o, "checkpointFile");
        return path is not null && File.Exists(path) && Checkpoints.JavaCheckpointDatabase.Problem(path) is { } problem
            ? throw o.Error("checkpointFile", $"'{path}' {problem}")
            : path;
    }

    private static string? OptionalNonEmpty(ConfigObject o, string key)
    {
        var value = o.OptionalString(key);
        return value is { Length: 0 } ? throw o.Error(key, "must not be empty; omit the key instead") : value;
    }

    /// <summary>
    /// An endpoint as the Java agent took it (a bare host or a URL), normalised to an absolute http(s) URL:
    /// the AWS SDK for Java used https when the scheme was missing.
    /// </summary>
    internal static string? Endpoint(ConfigObject o, string key)
    {
        var text = OptionalNonEmpty(o, key);
        if (text is null)
        {
            return null;
        }

        var url = text.Contains("://", StringComparison.Ordinal) ? text : "https://" + text;
        if (text.Any(char.IsWhiteSpace)
            || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp)
            || uri.Host.Length == 0 || uri.UserInfo.Length > 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            throw o.Error(key, $"'{text}' is not an endpoint; allowed: a host name (kinesis.eu-west-1.amazonaws.com) or an absolute http(s) URL");
        }

        return url;
    }

    private static string? Region(ConfigObject o, string key)
    {
        var text = OptionalNonEmpty(o, key);
        return text is null || RegionName().IsMatch(text)
            ? text
            : throw o.Error(key, $"'{text}' is not an AWS region name; allowed: names like us-east-1, eu-west-2, us-gov-west-1");
    }

    private static string Namespace(ConfigObject o, string key)
    {
        var text = OptionalNonEmpty(o, key);
        if (text is null)
        {
            return AgentConfiguration.DefaultCloudWatchNamespace;
        }

        return text.Length <= 255 && text.All(c => c is >= ' ' and <= '~') && !text.StartsWith("AWS/", StringComparison.Ordinal)
            ? text
            : throw o.Error(key, "must be 1-255 printable ASCII characters and must not start with the reserved 'AWS/'");
    }

    internal static string? AbsoluteFile(ConfigObject o, string key)
    {
        var text = OptionalNonEmpty(o, key);
        return text is null || (text.StartsWith('/') && !text.EndsWith('/') && !text.Contains('\0', StringComparison.Ordinal))
            ? text
            : throw o.Error(key, $"'{text}' must be an absolute file path (start with '/', not end with '/')");
    }

    [GeneratedRegex(@"\A[a-z]{2}(-[a-z]+)+-[0-9]{1,2}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RegionName();

    [GeneratedRegex(@"\Aarn:aws[a-z-]*:iam::[0-9]{12}:role/[A-Za-z0-9+=,.@_/-]{1,512}\z", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RoleArn();
}
