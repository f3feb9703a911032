using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>The worker's registered stream consumer and the HTTP/2 client its shard readers share.</summary>
internal sealed class FanOutConnection : IDisposable
{
    private FanOutConnection(FanOutSubscriber client, string consumerArn)
    {
        Client = client;
        ConsumerArn = consumerArn;
    }

    public FanOutSubscriber Client { get; }

    public string ConsumerArn { get; }

    /// <summary>Finds (or registers) the consumer and waits until it is ACTIVE.</summary>
    public static async Task<FanOutConnection> OpenAsync(KinesisClient kinesis, KinesisConsumerOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var stream = await kinesis.DescribeStreamSummaryAsync(
            options.StreamArn is null ? options.StreamName : null, options.StreamArn, cancellationToken).ConfigureAwait(false);
        var consumerArn = await StreamConsumerRegistration.ResolveConsumerArnAsync(
            kinesis, stream.StreamArn, options.FanOut, options.ApplicationName, logger, cancellationToken).ConfigureAwait(false);
        return new FanOutConnection(new FanOutSubscriber(kinesis, options.FanOut), consumerArn);
    }

    public void Dispose() => Client.Dispose();
}
