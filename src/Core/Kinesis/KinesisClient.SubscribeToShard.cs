using Kinesis.Clients.Http;
using Kinesis.Clients.Wire;

namespace Kinesis.Clients;

public sealed partial class KinesisClient
{
    /// <summary>
    /// Subscribes a registered stream consumer (enhanced fan-out) to a shard: the service pushes the shard's records
    /// over HTTP/2 for up to 5 minutes, read from the returned subscription. Returns once the service accepted the
    /// subscription (its response headers arrived).
    /// </summary>
    /// <remarks>
    /// Sent over a connection pool of its own, not through <see cref="KinesisClientOptions.HttpHandler"/>: HTTP/2 over
    /// TLS, negotiated by ALPN (<c>h2</c>), for an <c>https://</c> endpoint, as the service requires; prior-knowledge
    /// cleartext HTTP/2 for an <c>http://</c> one (a local emulator). Certificates are checked against the system's roots
    /// and <see cref="KinesisClientOptions.TrustedCertificates"/>. The answer must come within
    /// <see cref="KinesisClientOptions.RequestTimeout"/>. The service allows one call per second per consumer and shard,
    /// and refuses a new one within 5 seconds of the last accepted one with <see cref="ResourceInUseException"/>.
    /// </remarks>
    /// <param name="consumerArn">The consumer's ARN, from <see cref="RegisterStreamConsumerAsync"/> or <see cref="DescribeStreamConsumerAsync"/>.</param>
    /// <param name="shardId">The shard to read.</param>
    /// <param name="startingPosition">Where to start.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The open subscription; dispose it to close the HTTP/2 stream.</returns>
    /// <exception cref="AwsServiceException">
    /// The service refused (e.g. <see cref="ResourceInUseException"/>, <see cref="ResourceNotFoundException"/>), or no
    /// usable answer came (retryable, without a status code).
    /// </exception>
    public async Task<ShardSubscription> SubscribeToShardAsync(
        string consumerArn,
        string shardId,
        SubscribePosition startingPosition,
        CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ArgumentException.ThrowIfNullOrWhiteSpace(consumerArn);
        ArgumentException.ThrowIfNullOrWhiteSpace(shardId);
        if (!Enum.IsDefined(startingPosition.Type))
        {
            throw new ArgumentException($"The starting position type {(int)startingPosition.Type} is not a ShardIteratorType.", nameof(startingPosition));
        }

        var context = $"shard {shardId}, consumer {consumerArn}, at {startingPosition}";
        var (response, body) = await _subscriptions.Value.OpenAsync(
            ShardSubscription.Operation,
            (consumerArn, shardId, startingPosition),
            static (w, s) => WriteSubscribeToShard(w, s.consumerArn, s.shardId, s.startingPosition),
            context,
            cancellationToken).ConfigureAwait(false);
        return new ShardSubscription(response, body, Protocol, TransportFailures.RequestId(response), context);
    }

    private EventStreamTransport CreateSubscriptionTransport() =>
        new(ServiceName, TargetPrefix, Endpoint, _signer, Protocol, Options.RequestTimeout, Options.ConnectTimeout, Options.TrustedCertificates, Options.TimeProvider);

    private static void WriteSubscribeToShard(IWireWriter w, string consumerArn, string shardId, SubscribePosition position)
    {
        w.WriteStartObject(3);
        w.WritePropertyName("ConsumerARN");
        w.WriteString(consumerArn);
        w.WritePropertyName("ShardId");
        w.WriteString(shardId);
        w.WritePropertyName("StartingPosition");
        w.WriteStartObject(1 + (position.SequenceNumber is null ? 0 : 1) + (position.Timestamp is null ? 0 : 1));
        w.WritePropertyName("Type");
        w.WriteString(position.WireType);
        if (position.SequenceNumber is { } sequenceNumber)
        {
            w.WritePropertyName("SequenceNumber");
            w.WriteString(sequenceNumber);
        }

        if (position.Timestamp is { } timestamp)
        {
            w.WritePropertyName("Timestamp");
            w.WriteTimestamp(timestamp);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
