using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>
/// Multi-stream enhanced fan-out: one registered stream consumer per stream, resolved when the stream's first shard
/// starts and kept for the worker's life (the KCL's <c>FanOutRetrievalFactory</c> with its
/// <c>implicitConsumerArnTracker</c>), named <see cref="FanOutOptions.ConsumerName"/> or else the application name.
/// </summary>
internal sealed class StreamConsumers
{
    private readonly KinesisClient _kinesis;
    private readonly KinesisConsumerOptions _options;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<string>>> _arns = new(StringComparer.Ordinal);

    public StreamConsumers(KinesisClient kinesis, KinesisConsumerOptions options, ILogger logger)
    {
        _kinesis = kinesis;
        _options = options;
        _logger = logger;
    }

    /// <summary>The consumer ARN for the stream at <paramref name="address"/> (its ARN, or its name).</summary>
    public async Task<string> ConsumerArnAsync(string address, CancellationToken cancellationToken)
    {
        var resolving = _arns.GetOrAdd(address, a => new Lazy<Task<string>>(() => ResolveAsync(a)));
        try
        {
            return await resolving.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (resolving.Value.IsFaulted || resolving.Value.IsCanceled)
        {
            // A failed registration is not kept: the next shard start of the stream tries again.
            _arns.TryRemove(new KeyValuePair<string, Lazy<Task<string>>>(address, resolving));
            throw;
        }
    }

    // Not on one shard's token: the registration serves every shard of the stream. RegistrationTimeout bounds it.
    private async Task<string> ResolveAsync(string address)
    {
        var arn = address;
        if (!StreamArn.TryParse(address, out _))
        {
            var summary = await _kinesis.DescribeStreamSummaryAsync(address, null, CancellationToken.None).ConfigureAwait(false);
            arn = summary.StreamArn;
        }

        return await StreamConsumerRegistration.ResolveConsumerArnAsync(_kinesis, arn, _options.FanOut, _options.ApplicationName, _logger, CancellationToken.None).ConfigureAwait(false);
    }
}
