using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients;

/// <summary>Settings for <see cref="KinesisClient"/>. Validated when the client is built.</summary>
public sealed class KinesisClientOptions
{
    /// <summary>The largest record the service accepts by default (data plus partition key): 1 MiB.</summary>
    public const int DefaultMaxRecordSizeBytes = 1024 * 1024;

    /// <summary>The largest record size a stream can be configured for: 10 MiB.</summary>
    public const int LargestMaxRecordSizeBytes = 10 * 1024 * 1024;

    /// <summary>
    /// The AWS region. <value>Default: <see langword="null"/>, resolved like the AWS SDKs:
    /// <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, then the shared config profile.</value>
    /// </summary>
    public string? Region { get; set; }

    /// <summary>
    /// The endpoint to call. <value>Default: <see langword="null"/>, resolved like the AWS SDKs:
    /// <c>AWS_ENDPOINT_URL_KINESIS</c>, <c>AWS_ENDPOINT_URL</c>, then <c>https://kinesis.{region}.amazonaws.com</c>.</value>
    /// Set it (or <c>AWS_ENDPOINT_URL</c>) to <c>http://localhost:4566</c> for LocalStack.
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// The credentials to sign with. <value>Default: <see langword="null"/>, AWSSDK.Core's default chain
    /// (environment, shared profile, SSO, web identity, container and instance metadata).</value>
    /// </summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>The body encoding. <value>Default: <see cref="WireProtocol.Cbor"/>.</value></summary>
    public WireProtocol Protocol { get; set; } = WireProtocol.Cbor;

    /// <summary>
    /// How long one call may take, from sending to the last byte of the reply (for SubscribeToShard: until the
    /// subscription is accepted).
    /// <value>Default: 30 seconds.</value>
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening a connection may take. <value>Default: 10 seconds.</value></summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Connections kept to the endpoint at most. <value>Default: 24 (the KPL's MaxConnections).</value></summary>
    public int MaxConnections { get; set; } = 24;

    /// <summary>
    /// The largest record accepted, data plus partition key, checked before sending.
    /// <value>Default: 1 MiB; at most 10 MiB, for streams configured for larger records.</value>
    /// </summary>
    public int MaxRecordSizeBytes { get; set; } = DefaultMaxRecordSizeBytes;

    /// <summary>
    /// A handler to send requests through instead of the client's own connection pool (for a proxy,
    /// or to share one pool). The client does not dispose it. <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>
    /// Certificates to trust for the endpoint's TLS in addition to the system's roots: the CA of a TLS-inspecting
    /// proxy, or a test server's self-signed certificate. A server certificate is accepted when it chains to one of
    /// them and is otherwise valid (host name, dates, server use); nothing else is relaxed. Applies to the client's own
    /// connections, SubscribeToShard's included; when <see cref="HttpHandler"/> is set, the other calls go through it
    /// and its own settings decide. Copied when the client is built.
    /// <value>Default: <see langword="null"/>, the system's roots only.</value>
    /// </summary>
    public X509Certificate2Collection? TrustedCertificates { get; set; }

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

        if (MaxRecordSizeBytes < 1 || MaxRecordSizeBytes > LargestMaxRecordSizeBytes)
        {
            throw new ArgumentException(
                $"MaxRecordSizeBytes must be between 1 and {LargestMaxRecordSizeBytes} (10 MiB); got {MaxRecordSizeBytes}.",
                nameof(MaxRecordSizeBytes));
        }

        if (!Enum.IsDefined(Protocol))
        {
            throw new ArgumentException($"Protocol must be Cbor or Json; got {(int)Protocol}.", nameof(Protocol));
        }

        if (ServiceUrl is not null && (!ServiceUrl.IsAbsoluteUri || (ServiceUrl.Scheme != Uri.UriSchemeHttp && ServiceUrl.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"ServiceUrl must be an absolute http or https URL; got '{ServiceUrl}'.", nameof(ServiceUrl));
        }

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
