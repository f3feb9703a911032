using System.Security.Cryptography.X509Certificates;
using Amazon.Runtime;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>
/// Where a consumer's shard readers open their subscriptions: a Kinesis client of its own for SubscribeToShard,
/// built like the consumer's (region, credentials, clock) but pointed at <see cref="FanOutOptions.ServiceUrl"/>, in
/// <see cref="FanOutOptions.Protocol"/>, and waiting at most <see cref="FanOutOptions.SilenceTimeout"/> for a
/// subscription to be accepted. One per consumer, shared by its readers; each subscription is one HTTP/2 stream.
/// </summary>
/// <remarks>
/// It trusts what the consumer's client trusts (<see cref="KinesisClientOptions.TrustedCertificates"/>), so a consumer
/// given a client for a TLS-inspecting proxy or a test server subscribes through the same trust.
/// </remarks>
internal sealed class FanOutSubscriber : IDisposable
{
    private readonly KinesisClient _client;

    /// <summary>Builds a subscriber that signs like <paramref name="kinesis"/>.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the message names it.</exception>
    public FanOutSubscriber(KinesisClient kinesis, FanOutOptions options)
        : this(
            (options ?? throw new ArgumentNullException(nameof(options))).ServiceUrl ?? (kinesis ?? throw new ArgumentNullException(nameof(kinesis))).Endpoint,
            kinesis.Region,
            kinesis.Options.Credentials,
            options.Protocol ?? kinesis.Protocol,
            options,
            kinesis.Options.TimeProvider,
            kinesis.Options.TrustedCertificates)
    {
    }

    internal FanOutSubscriber(Uri endpoint, string region, AWSCredentials? credentials, WireProtocol protocol, FanOutOptions options, TimeProvider timeProvider,
        X509Certificate2Collection? trustedCertificates = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        TimeProvider = timeProvider;
        _client = new KinesisClient(new KinesisClientOptions
        {
            ServiceUrl = endpoint,
            Region = region,
            Credentials = credentials,
            Protocol = protocol,
            RequestTimeout = options.SilenceTimeout,
            ConnectTimeout = options.ConnectTimeout,
            TrustedCertificates = trustedCertificates,
            TimeProvider = timeProvider,
        });
    }

    /// <summary>Where subscriptions are opened.</summary>
    public Uri Endpoint => _client.Endpoint;

    /// <summary>The options the subscriber was built with.</summary>
    public FanOutOptions Options { get; }

    /// <summary>The clock for time-outs and waits.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Subscribes <paramref name="consumerArn"/> to <paramref name="shardId"/>; see <see cref="KinesisClient.SubscribeToShardAsync"/>.</summary>
    public Task<ShardSubscription> SubscribeAsync(string consumerArn, string shardId, SubscribePosition position, CancellationToken cancellationToken) =>
        _client.SubscribeToShardAsync(consumerArn, shardId, position, cancellationToken);

    /// <summary>Closes the connections and every subscription still open on them.</summary>
    public void Dispose() => _client.Dispose();
}
