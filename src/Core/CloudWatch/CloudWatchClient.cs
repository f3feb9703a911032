using System.Globalization;
using Kinesis.Clients.Auth;
using Kinesis.Clients.Endpoints;
using Kinesis.Clients.Http;

namespace Kinesis.Clients.CloudWatch;

/// <summary>
/// A lean CloudWatch client for what this suite needs, PutMetricData, in the AWS query protocol, signed with SigV4
/// (service <c>monitoring</c>) through AWSSDK.Core. Thread-safe; create one per endpoint and share it.
/// </summary>
/// <remarks>
/// Failures surface as <see cref="AwsServiceException"/>; bad arguments are rejected with an
/// <see cref="ArgumentException"/> naming the field and the limit before any request is sent. The client does not
/// retry.
/// </remarks>
public sealed class CloudWatchClient : IDisposable
{
    internal const string ServiceName = "CloudWatch";
    internal const string SigningName = "monitoring";

    private readonly AwsQueryTransport _transport;
    private readonly TimeProvider _time;

    /// <summary>Builds a client; throws <see cref="ArgumentException"/> naming any invalid option.</summary>
    public CloudWatchClient(CloudWatchClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _time = options.TimeProvider;
        Region = AwsRegionResolver.Resolve(options.Region);
        Endpoint = AwsEndpointResolver.Resolve("CLOUDWATCH", SigningName, options.ServiceUrl, Region, optionName: nameof(options.ServiceUrl));
        var credentials = AwsCredentialsResolver.Resolve(options.Credentials);
        var signer = new SigV4Signer(credentials, Region, SigningName, options.TimeProvider);

        HttpClient http = options.HttpHandler is not null
            ? new HttpClient(options.HttpHandler, disposeHandler: false)
            : new HttpClient(new SocketsHttpHandler
            {
                MaxConnectionsPerServer = options.MaxConnections,
                // Recycle connections so DNS changes of the regional endpoint are seen.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
                ConnectTimeout = TimeSpan.FromSeconds(10),
                AutomaticDecompression = System.Net.DecompressionMethods.None,
            });
        http.Timeout = Timeout.InfiniteTimeSpan;
        _transport = new AwsQueryTransport(ServiceName, Endpoint, signer, options.RequestTimeout, http, ownsHttp: true, _time);
    }

    /// <summary>The options the client was built with.</summary>
    public CloudWatchClientOptions Options { get; }

    /// <summary>The region requests are signed for.</summary>
    public string Region { get; }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint { get; }

    /// <summary>
    /// Publishes metric data points (PutMetricData) to <paramref name="namespace"/>.
    /// </summary>
    /// <param name="namespace">1-255 printable ASCII characters, not starting with <c>:</c> or <c>AWS/</c>.</param>
    /// <param name="data">
    /// 1 to <see cref="CloudWatchLimits.MaxDataPerRequest"/> data, each with at most 30 dimensions and exactly one of a
    /// value or a statistic set, finite and within ±2^360; the encoded request at most
    /// <see cref="CloudWatchLimits.MaxPayloadBytes"/> bytes.
    /// </param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <exception cref="ArgumentException">An argument breaks a PutMetricData rule; the message names the field and the limit.</exception>
    /// <exception cref="AwsServiceException">The service refused the call, or no usable answer arrived.</exception>
    public Task PutMetricDataAsync(string @namespace, IReadOnlyList<MetricDatum> data, CancellationToken cancellationToken = default)
    {
        MetricDataValidation.ValidateNamespace(@namespace, nameof(@namespace));
        MetricDataValidation.ValidateData(data, _time.GetUtcNow(), nameof(data));
        var body = PutMetricDataForm.Encode(@namespace, data);
        if (body.Length > CloudWatchLimits.MaxPayloadBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture,
                    $"The {data.Count} metric data encode to {body.Length} bytes; PutMetricData takes at most " +
                    $"{CloudWatchLimits.MaxPayloadBytes} bytes per request. Send them in smaller batches."),
                nameof(data));
        }

        var context = string.Create(CultureInfo.InvariantCulture, $"namespace {@namespace}, {data.Count} metric data");
        return _transport.SendAsync(PutMetricDataForm.Action, body, context, cancellationToken);
    }

    /// <summary>Closes the client's connections (not a handler passed in the options).</summary>
    public void Dispose() => _transport.Dispose();
}
