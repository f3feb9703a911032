using Amazon.Runtime;

namespace Kinesis.Clients.Firehose;

/// <summary>Settings for <see cref="FirehoseClient"/>. Validated when the client is built.</summary>
public sealed class FirehoseClientOptions
{
    /// <summary>
    /// The AWS region. <value>Default: <see langword="null"/>, resolved like the AWS SDKs:
    /// <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then the shared config profile.</value>
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// The endpoint to call. <value>Default: <see langword="null"/>, resolved like the AWS SDKs:
    /// <c>AWS_ENDPOINT_URL_FIREHOSE</c>, <c>AWS_ENDPOINT_URL</c>, then <c>https://firehose.{region}.amazonaws.com</c>.</value>
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// The credentials to sign with. <value>Default: <see langword="null"/>, AWSSDK.Core's default chain
    /// (environment, shared profile, SSO, web identity, container and instance metadata).</value>
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>How long one call may take, from sending to the last byte of the reply. <value>Default: 30 seconds.</value></summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening a connection may take. <value>Default: 10 seconds.</value></summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections kept to the endpoint at most. <value>Default: 24.</value></summary>
    public int MaxConnections { get; set; } = 24;

    /// <summary>
    /// A handler to send requests through instead of the client's own connection pool (for a proxy, or to share
    /// one pool). The client does not dispose it. <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>The clock used for signing and time-outs. <value>Default: <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    internal void Validate()
    {
        if (RequestTimeout <= TimeSpan.Zero || RequestTimeout == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException(
                $"RequestTimeout must be a positive, finite time; got {RequestTimeout}.", nameof(RequestTimeout));
        }

        if (ConnectTimeout <= TimeSpan.Zero || ConnectTimeout == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException(
                $"ConnectTimeout must be a positive, finite time; got {ConnectTimeout}.", nameof(ConnectTimeout));
        }

        if (MaxConnections < 1)
        {
            throw new ArgumentException($"MaxConnections must be at least 1; got {MaxConnections}.", nameof(MaxConnections));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
