using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Ec2;

/// <summary>
/// The EC2 instance identity for ADDEC2METADATA, read through IMDSv2 (a session token from
/// <c>PUT /latest/api/token</c>, then <c>GET /latest/dynamic/instance-identity/document</c>) and kept as the JSON
/// object the Java agent adds to records, with its field names and order. Read once when created (the Java agent
/// reads it when the flow starts) and again in the background once <c>metadataTTL</c> has passed since the last
/// attempt; records use the last good identity meanwhile. Thread-safe.
/// </summary>
internal sealed partial class InstanceIdentitySource : IDisposable
{
    /// <summary>Where IMDS answers on EC2; <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c> overrides it, as for the AWS SDKs.</summary>
    public static readonly Uri DefaultEndpoint = new("http://169.254.169.254/");

    /// <summary>How long each IMDS request may take: off EC2 nothing answers, and the first read holds up the flow's start.</summary>
    public static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(2);

    private readonly HttpClient _http;
    private readonly Uri _endpoint;
    private readonly TimeSpan _ttl;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private JsonElement? _identity;
    private long _lastAttempt;
    private int _refreshing;

    /// <param name="endpoint">The IMDS endpoint; <see langword="null"/> for <c>AWS_EC2_METADATA_SERVICE_ENDPOINT</c> or <see cref="DefaultEndpoint"/>.</param>
    /// <param name="ttl">How long an identity is used before it is read again (<c>metadataTTL</c>).</param>
    /// <param name="timeProvider">The clock the TTL is measured on.</param>
    /// <param name="logger">Where reads and failures are logged.</param>
    /// <param name="requestTimeout">How long each request may take; <see cref="DefaultRequestTimeout"/> when <see langword="null"/>.</param>
    public InstanceIdentitySource(Uri? endpoint, TimeSpan ttl, TimeProvider timeProvider, ILogger logger, TimeSpan? requestTimeout = null)
    {
        _endpoint = endpoint ?? FromEnvironment() ?? DefaultEndpoint;
        _ttl = ttl;
        _time = timeProvider;
        _logger = logger;
        _http = new HttpClient { Timeout = requestTimeout ?? DefaultRequestTimeout };
        _lastAttempt = _time.GetTimestamp();
        _identity = Read();
    }

    /// <summary>
    /// The identity as a JSON object, or <see langword="null"/> when it could not be read (records then pass
    /// unchanged, as in the Java agent). Starts a background refresh when it is older than the TTL.
    /// </summary>
    public JsonElement? Current
    {
        get
        {
            if (_time.GetElapsedTime(Volatile.Read(ref _lastAttempt)) >= _ttl && Interlocked.Exchange(ref _refreshing, 1) == 0)
            {
                Volatile.Write(ref _lastAttempt, _time.GetTimestamp());
                _ = Task.Run(() =>
                {
                    var read = Read();
                    if (read is not null)
                    {
                        _identity = read;
                    }

                    Volatile.Write(ref _refreshing, 0);
                });
            }

            return _identity;
        }
    }

    public void Dispose() => _http.Dispose();

    /// <summary>
    /// The Java agent's fields from an identity document, in its order. <c>metadataTimestamp</c> is the time of
    /// reading in the host's time zone as Java's <c>yyyy-MM-dd'T'HH:mm:ssZ</c> writes it (<c>+0000</c>).
    /// </summary>
    public static JsonElement Fields(JsonElement document, DateTimeOffset readAt)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var (name, source) in FieldMap)
            {
                if (document.TryGetProperty(source, out var value) && value.ValueKind == JsonValueKind.String)
                {
                    writer.WriteString(name, value.GetString());
                }
                else
                {
                    writer.WriteNull(name);
                }
            }

            var offset = readAt.Offset;
            var sign = offset < TimeSpan.Zero ? '-' : '+';
            var zone = string.Create(CultureInfo.InvariantCulture, $"{sign}{Math.Abs(offset.Hours):00}{Math.Abs(offset.Minutes):00}");
            writer.WriteString("metadataTimestamp", readAt.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + zone);
            writer.WriteEndObject();
        }

        using var parsed = JsonDocument.Parse(buffer.WrittenMemory);
        return parsed.RootElement.Clone();
    }

    // The Java agent's name for each field, and the identity document's.
    private static readonly (string Name, string Source)[] FieldMap =
    [
        ("privateIp", "privateIp"), ("availabilityZone", "availabilityZone"), ("instanceId", "instanceId"),
        ("instanceType", "instanceType"), ("accountId", "accountId"), ("amiId", "imageId"), ("region", "region"),
    ];

    private static Uri? FromEnvironment()
    {
        var text = Environment.GetEnvironmentVariable("AWS_EC2_METADATA_SERVICE_ENDPOINT");
        return string.IsNullOrEmpty(text) ? null : new Uri(text.EndsWith('/') ? text : text + "/");
    }

    // Synchronous: the first read happens while the flow is built, as the Java agent reads it in its constructor;
    // later reads run on the thread pool.
    private JsonElement? Read()
    {
        try
        {
            using var tokenRequest = new HttpRequestMessage(HttpMethod.Put, new Uri(_endpoint, "latest/api/token"));
            tokenRequest.Headers.Add("X-aws-ec2-metadata-token-ttl-seconds", "21600");
            using var tokenResponse = _http.Send(tokenRequest);
            tokenResponse.EnsureSuccessStatusCode();
            string token;
            using (var reader = new StreamReader(tokenResponse.Content.ReadAsStream()))
            {
                token = reader.ReadToEnd().Trim();
            }

            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(_endpoint, "latest/dynamic/instance-identity/document"));
            request.Headers.Add("X-aws-ec2-metadata-token", token);
            using var response = _http.Send(request);
            response.EnsureSuccessStatusCode();
            using var document = JsonDocument.Parse(response.Content.ReadAsStream());
            var fields = Fields(document.RootElement, _time.GetLocalNow());
            Refreshed(_logger, document.RootElement.TryGetProperty("instanceId", out var id) ? id.ToString() : "?");
            return fields;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException or InvalidOperationException or IOException)
        {
            ReadFailed(_logger, _endpoint.ToString(), e.Message);
            return null;
        }
    }

    [LoggerMessage(EventId = 3301, Level = LogLevel.Information, Message = "ADDEC2METADATA: read the identity of instance {InstanceId}")]
    private static partial void Refreshed(ILogger logger, string instanceId);

    [LoggerMessage(EventId = 3302, Level = LogLevel.Warning, Message = "ADDEC2METADATA: cannot read the instance identity from {Endpoint} ({Reason}); records pass without it until the next refresh")]
    private static partial void ReadFailed(ILogger logger, string endpoint, string reason);
}
