using Amazon.Runtime;

namespace Kinesis.Clients.CloudWatch;

/// <summary>Settings for <see cref="CloudWatchClient"/>. Validated when the client is built.</summary>
public sealed class CloudWatchClientOptions
{
    /// <summary>
    /// The AWS region. <value>Default: <see langword="null"/>, resolved like the AWS SDKs:
    /// <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then the shared config profile.</value>
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// The endpoint to call. <value>Default: <see langword="null"/>, resolved like the AWS SDKs:
    /// <c>AWS_ENDPOINT_URL_CLOUDWATCH</c>, <c>AWS_ENDPOINT_URL</c>, then <c>https://monitoring.{region}.amazonaws.com</c>.</value>
    /// Set it (or <c>AWS_ENDPOINT_URL</c>) to <c>http://localhost:4566</c> for LocalStack.
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// The credentials to sign with. <value>Default: <see langword="null"/>, AWSSDK.Core's default chain
    /// (environment, shared profile, SSO, web identity, container and instance metadata).</value>
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>
    /// How long one call may take, from sending to the last byte of the reply.
    /// <value>Default: 30 seconds.</value>
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections kept to the endpoint at most. <value>Default: 4 (metrics go out once a minute).</value></summary>
    public int MaxConnections { get; set; } = 4;

    /// <summary>
    /// A handler to send requests through instead of the client's own connection pool (for a proxy,
    /// or to share one pool). The client does not dispose it. <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>
    /// The clock used for signing, time-outs and the timestamp window check.
    /// <value>Default: <see cref="TimeProvider.System"/>.</value>
    /// </summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException(
                $"RequestTimeout must be a positive, finite time; got {RequestTimeout}.", nameof(RequestTimeout));
        }

        if (MaxConnections < 1)
        {
            throw new ArgumentException($"MaxConnections must be at least 1; got {MaxConnections}.", nameof(MaxConnections));
        }

        if (ServiceUrl is not null && (!ServiceUrl.IsAbsoluteUri || (ServiceUrl.Scheme != Uri.UriSchemeHttp && ServiceUrl.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"ServiceUrl must be an absolute http or https URL; got '{ServiceUrl}'.", nameof(ServiceUrl));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
