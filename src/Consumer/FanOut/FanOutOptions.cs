using Kinesis.Clients.Wire;

namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>
/// Settings for reading shards through enhanced fan-out (SubscribeToShard over HTTP/2). Validated when a reader is
/// built; a bad value throws an <see cref="ArgumentException"/> naming the option.
/// </summary>
public sealed class FanOutOptions
{
    /// <summary>The service's own floor between two subscriptions of one consumer to one shard: 5 seconds.</summary>
    public static readonly TimeSpan ServiceResubscribeInterval = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The ARN of an already registered consumer to read with. <value>Default: <see langword="null"/>: the consumer
    /// named <see cref="ConsumerName"/> is looked up, and registered if missing.</value>
    /// </summary>
    public string? ConsumerArn { get; set; }

    /// <summary>
    /// The consumer name to look up or register when <see cref="ConsumerArn"/> is not set: 1 to 128 characters of
    /// <c>a-zA-Z0-9_.-</c>, unique per stream. <value>Default: <see langword="null"/> (the consumer uses its
    /// application name, as the KCL does).</value>
    /// </summary>
    public string? ConsumerName { get; set; }

    /// <summary>
    /// How long registering a consumer may take until it is <c>ACTIVE</c>. <value>Default: 2 minutes.</value>
    /// </summary>
    public TimeSpan RegistrationTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Where SubscribeToShard goes. <value>Default: <see langword="null"/>, the Kinesis client's endpoint.</value>
    /// An <c>http://</c> endpoint is spoken to in HTTP/2 without TLS (prior knowledge), as a loopback test server is.
    /// </summary>
    public Uri? ServiceUrl { get; set; }

    /// <summary>
    /// The encoding of the request and of the events. <value>Default: <see langword="null"/>, the Kinesis client's
    /// (<see cref="WireProtocol.Cbor"/> unless set otherwise): record data arrives as raw bytes rather than base64.</value>
    /// </summary>
    public WireProtocol? Protocol { get; set; }

    /// <summary>
    /// The least time between two subscriptions of one shard. <value>Default: 5 seconds, the service's own floor:
    /// within it a new subscription is refused with <c>ResourceInUseException</c>.</value> Lower only against a
    /// test server.
    /// </summary>
    public TimeSpan ResubscribeInterval { get; set; } = ServiceResubscribeInterval;

    /// <summary>
    /// How long a subscription may go without any event before it is abandoned and a new one is opened from the
    /// last continuation sequence number. <value>Default: 35 seconds.</value> The service sends an event every few
    /// seconds even when the shard is idle, so a longer silence means the connection is dead without saying so.
    /// </summary>
    public TimeSpan SilenceTimeout { get; set; } = TimeSpan.FromSeconds(35);

    /// <summary>
    /// The first delay after a subscription fails before it delivered anything; later delays grow exponentially,
    /// with jitter. <value>Default: 1 second (the service allows one SubscribeToShard per second per consumer and
    /// shard).</value>
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest delay between two failed subscription attempts. <value>Default: 30 seconds.</value></summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long opening a connection may take. <value>Default: 10 seconds.</value></summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(10);

    internal void Validate()
    {
        if (ConsumerArn is not null && string.IsNullOrWhiteSpace(ConsumerArn))
        {
            throw new ArgumentException("ConsumerArn must not be blank; leave it null to use ConsumerName.", nameof(ConsumerArn));
        }

        if (ConsumerName is not null && !IsValidConsumerName(ConsumerName))
        {
            throw new ArgumentException(
                $"ConsumerName must be 1 to 128 characters of a-z, A-Z, 0-9, '_', '.', '-'; got '{ConsumerName}'.", nameof(ConsumerName));
        }

        Positive(RegistrationTimeout, nameof(RegistrationTimeout));
        Positive(SilenceTimeout, nameof(SilenceTimeout));
        Positive(RetryBaseDelay, nameof(RetryBaseDelay));
        Positive(RetryMaxDelay, nameof(RetryMaxDelay));
        Positive(ConnectTimeout, nameof(ConnectTimeout));
        if (ResubscribeInterval < TimeSpan.Zero || ResubscribeInterval == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException(
                $"ResubscribeInterval must be zero or a positive, finite time; got {ResubscribeInterval}.", nameof(ResubscribeInterval));
        }

        if (RetryMaxDelay < RetryBaseDelay)
        {
            throw new ArgumentException(
                $"RetryMaxDelay ({RetryMaxDelay}) must not be shorter than RetryBaseDelay ({RetryBaseDelay}).", nameof(RetryMaxDelay));
        }

        if (ServiceUrl is not null && (!ServiceUrl.IsAbsoluteUri || (ServiceUrl.Scheme != Uri.UriSchemeHttp && ServiceUrl.Scheme != Uri.UriSchemeHttps)))
        {
            throw new ArgumentException($"ServiceUrl must be an absolute http or https URL; got '{ServiceUrl}'.", nameof(ServiceUrl));
        }

        if (Protocol is { } protocol && !Enum.IsDefined(protocol))
        {
            throw new ArgumentException($"Protocol must be Cbor or Json; got {(int)protocol}.", nameof(Protocol));
        }
    }

    internal static bool IsValidConsumerName(string name) =>
        name.Length is >= 1 and <= 128 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    private static void Positive(TimeSpan value, string name)
    {
        if (value <= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException($"{name} must be a positive, finite time; got {value}.", name);
        }
    }
}
