using System.Text.RegularExpressions;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Producer.Configuration;

/// <summary>
/// Every key of the KPL's <c>KinesisProducerConfiguration</c>, with its range, and what it sets here; the keys that
/// configure the KPL's native process are checked as the KPL checks them and then set nothing.
/// </summary>
internal static partial class KplPropertyMap
{
    private const long Unbounded = long.MaxValue;

    private static readonly Dictionary<string, Action<KinesisProducerOptions, KplValue>> Applicable = new(StringComparer.Ordinal)
    {
        ["AggregationEnabled"] = (o, v) => o.AggregationEnabled = v.Bool(),
        ["AggregationMaxCount"] = (o, v) => o.AggregationMaxCount = v.Long(1, Unbounded),
        ["AggregationMaxSize"] = (o, v) => o.AggregationMaxSize = (int)v.Long(64, 1_048_576),
        ["CollectionMaxCount"] = (o, v) => o.CollectionMaxCount = (int)v.Long(1, 500),
        // The KPL takes any size from 52,224; a PutRecords request carries at most 5 MiB.
        ["CollectionMaxSize"] = (o, v) => o.CollectionMaxSize = (int)v.Long(52_224, 5 * 1024 * 1024),
        ["ConnectTimeout"] = (o, v) => o.ConnectTimeout = v.Millis(100, 300_000),
        ["FailIfThrottled"] = (o, v) => o.FailIfThrottled = v.Bool(),
        ["MaxConnections"] = (o, v) => o.MaxConnections = (int)v.Long(1, 256),
        ["MetricsGranularity"] = (o, v) => o.MetricsGranularity = v.OneOf("global|stream|shard", MetricsGranularity.Global, MetricsGranularity.Stream, MetricsGranularity.Shard),
        ["MetricsLevel"] = (o, v) => o.MetricsLevel = v.OneOf("none|summary|detailed", MetricsLevel.None, MetricsLevel.Summary, MetricsLevel.Detailed),
        ["MetricsNamespace"] = (o, v) => o.MetricsNamespace = v.Matching(Namespace(), "(?!AWS/).{1,255}"),
        // The KPL's floor is 1 ms ("for testing only"); CloudWatch uploads here are at least a second apart.
        ["MetricsUploadDelay"] = (o, v) => o.MetricsUploadDelay = v.Millis(1_000, 60_000),
        ["RateLimit"] = (o, v) => o.RateLimit = (int)v.Long(1, int.MaxValue),
        ["RecordMaxBufferedTime"] = (o, v) => o.RecordMaxBufferedTime = v.Millis(0, Unbounded),
        ["RecordTtl"] = (o, v) => o.RecordTtl = v.Millis(100, Unbounded),
        ["Region"] = (o, v) => o.Region = NullIfEmpty(v.Matching(Region(), "^([a-z]+-([a-z]+-)?[a-z]+-[0-9])?$")),
        ["RequestTimeout"] = (o, v) => o.RequestTimeout = v.Millis(100, 600_000),
        ["VerifyCertificate"] = (o, v) => o.VerifyCertificate = v.Bool(),
        ["ProxyHost"] = (o, v) => o.ProxyHost = NullIfEmpty(v.Text),
        ["ProxyPort"] = (o, v) => o.ProxyPort = (int)v.Long(1, 65_535),
        ["ProxyUserName"] = (o, v) => o.ProxyUserName = NullIfEmpty(v.Text),
        ["ProxyPassword"] = (o, v) => o.ProxyPassword = NullIfEmpty(v.Text),
    };

    /// <summary>Keys whose value is an endpoint host or port, combined once the whole file is read.</summary>
    private static readonly HashSet<string> EndpointKeys = new(StringComparer.Ordinal) { "KinesisEndpoint", "KinesisPort", "CloudwatchEndpoint", "CloudwatchPort" };

    private static readonly Dictionary<string, (string Why, Action<KplValue> Check)> NotApplicable = new(StringComparer.Ordinal)
    {
        ["CredentialsRefreshDelay"] = ("credentials are read in-process from AWSSDK.Core, which refreshes them before they expire; there is no native process to push them to", v => v.Long(1, 300_000)),
        ["EnableCoreDumps"] = ("there is no native process", v => v.Bool()),
        ["LogLevel"] = ("logs go through ILogger; set levels in the logging configuration", v => v.OneOf("info|warning|error", 0, 1, 2)),
        ["MinConnections"] = ("the .NET connection pool opens connections when requests need them and closes idle ones after 60 s", v => v.Long(1, 16)),
        ["NativeExecutable"] = ("there is no native process", NoCheck),
        ["TempDirectory"] = ("there is no native binary to extract", NoCheck),
        ["ThreadingModel"] = ("requests are asynchronous on the .NET thread pool", v => v.OneOf("PER_REQUEST|POOLED", 0, 1)),
        ["ThreadPoolSize"] = ("requests are asynchronous on the .NET thread pool", v => v.Long(0, int.MaxValue)),
        ["CaCertPath"] = ("certificates are checked against the operating system's trust store", NoCheck),
        ["CaCertFile"] = ("certificates are checked against the operating system's trust store", NoCheck),
        ["StsEndpoint"] = ("STS is called by AWSSDK.Core's credential providers; set AWS_ENDPOINT_URL_STS", v => v.Matching(Host(), "^([A-Za-z0-9-\\.]+)?$")),
        ["StsPort"] = ("STS is called by AWSSDK.Core's credential providers; set AWS_ENDPOINT_URL_STS", v => v.Long(1, 65_535)),
        ["GlueSchemaRegistryPropertiesFilePath"] = ("the AWS Glue Schema Registry serializer is not part of this producer", NoCheck),
        // Keys of early KPL releases, still in the KPL's sample file, which the KPL now ignores (no setter takes them).
        ["Port"] = ("an early KPL key the KPL now ignores; use KinesisPort", NoCheck),
        ["CustomEndpoint"] = ("an early KPL key the KPL now ignores; use KinesisEndpoint", NoCheck),
        ["AwsAccessKeyId"] = ("an early KPL key the KPL now ignores; set Credentials", NoCheck),
        ["AwsSecretKey"] = ("an early KPL key the KPL now ignores; set Credentials", NoCheck),
        ["UserRecordTimeoutInMillis"] = ("RecordTtl bounds how long a record waits, and MaxBufferedBytes and MaxBufferedRecords bound the memory held", v => v.Long(0, Unbounded)),
    };

    /// <summary>Sets the options from the entries; returns the keys read that do not apply here, and why.</summary>
    public static List<(string Key, string Why)> Apply(KinesisProducerOptions options, IReadOnlyList<PropertyEntry> entries, string source)
    {
        var notApplicable = new List<(string Key, string Why)>();
        var endpoints = new Dictionary<string, KplValue>(StringComparer.Ordinal);
        // As java.util.Properties, which the KPL fills before calling any setter: the last value of a key wins.
        var last = new Dictionary<string, PropertyEntry>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            last.Remove(entry.Key);
            last[entry.Key] = entry;
        }

        foreach (var entry in last.Values.OrderBy(e => e.Line))
        {
            var value = new KplValue(entry.Key, entry.Value.TrimEnd(), entry.Line, source);
            if (Applicable.TryGetValue(entry.Key, out var set))
            {
                set(options, value);
            }
            else if (EndpointKeys.Contains(entry.Key))
            {
                endpoints[entry.Key] = value;
            }
            else if (NotApplicable.TryGetValue(entry.Key, out var skip))
            {
                skip.Check(value);
                if (!notApplicable.Exists(k => k.Key == entry.Key))
                {
                    notApplicable.Add((entry.Key, skip.Why));
                }
            }
            else
            {
                throw Unknown(entry, source);
            }
        }

        options.KinesisEndpoint = Endpoint(endpoints, "KinesisEndpoint", "KinesisPort") ?? options.KinesisEndpoint;
        options.CloudWatchEndpoint = Endpoint(endpoints, "CloudwatchEndpoint", "CloudwatchPort") ?? options.CloudWatchEndpoint;
        return notApplicable;
    }

    // The KPL's endpoints are a host and a port, always over TLS; a full URI is taken too (e.g. http:// for LocalStack).
    private static Uri? Endpoint(Dictionary<string, KplValue> values, string hostKey, string portKey)
    {
        var port = values.TryGetValue(portKey, out var portValue) ? (int)portValue.Long(1, 65_535) : 443;
        if (!values.TryGetValue(hostKey, out var hostValue) || hostValue.Text.Length == 0)
        {
            return null;
        }

        if (hostValue.Text.Contains("://", StringComparison.Ordinal))
        {
            return Uri.TryCreate(hostValue.Text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
                ? uri
                : throw hostValue.Invalid("a host name, an IP address or an http(s) URI");
        }

        var host = hostValue.Matching(Host(), "^([A-Za-z0-9-\\.]+)?$");
        return new UriBuilder(Uri.UriSchemeHttps, host, port).Uri;
    }

    private static ArgumentException Unknown(PropertyEntry entry, string source)
    {
        var near = Applicable.Keys.Concat(EndpointKeys).Concat(NotApplicable.Keys)
            .FirstOrDefault(k => string.Equals(k, entry.Key, StringComparison.OrdinalIgnoreCase));
        var hint = near is null ? "" : $" (keys are case-sensitive: did you mean '{near}'?)";
        return new ArgumentException(
            $"{source} line {entry.Line}: '{entry.Key}' is not a KPL configuration key{hint}.", entry.Key);
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;

    // The KPL takes any text for these keys.
    private static void NoCheck(KplValue value) => _ = value;

    [GeneratedRegex("^(?!AWS/).{1,255}$", RegexOptions.Singleline)]
    private static partial Regex Namespace();

    [GeneratedRegex("^([a-z]+-([a-z]+-)?[a-z]+-[0-9])?$")]
    private static partial Regex Region();

    [GeneratedRegex("^([A-Za-z0-9-\\.]+)?$")]
    private static partial Regex Host();
}
