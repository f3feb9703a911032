using System.Diagnostics.CodeAnalysis;
using Kinesis.Clients.Firehose;
using Kinesis.Clients.Metrics;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Pipeline;
using Kinesis.Clients.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;

namespace Kinesis.Clients.Producer.Firehose;

/// <summary>
/// The <see cref="FirehoseProducer"/>'s composition, from the producer's shared building blocks: the buffer budget,
/// the failure callbacks' dispatcher, the credentials failure log, the metrics (and their CloudWatch publisher) and
/// the backoff retry policy, plus the Firehose client. Built here in one place and disposed in order.
/// </summary>
internal sealed class FirehoseParts : IAsyncDisposable
{
    private readonly CloudWatchMetricsPublisher? _publisher;

    public FirehoseParts(FirehoseProducerOptions options)
    {
        Options = options;
        Time = options.TimeProvider;
        Logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<FirehoseProducer>();
        Client = new FirehoseClient(new FirehoseClientOptions
        {
            Region = options.Region,
            ServiceUrl = options.FirehoseEndpoint,
            Credentials = options.Credentials,
            RequestTimeout = options.RequestTimeout,
            MaxConnections = options.MaxConnections,
            HttpHandler = options.HttpHandler,
            TimeProvider = options.TimeProvider,
        });
        Budget = new BufferBudget(options.MaxBufferedBytes, options.MaxBufferedRecords);
        Callbacks = new CallbackDispatcher(options.OnRecordFailed, Logger);
        CredentialsLog = new CredentialsFailureLog(Logger);
        Metrics = new ProducerMetrics(() => Budget.Records, options.TimeProvider);
        Retry = BuildRetryPipeline(options);
        if (options.MetricsLevel != MetricsLevel.None)
        {
            _publisher = CloudWatchMetricsPublisher.Create(
                new CloudWatchMetricsPublisherOptions
                {
                    Meter = Metrics.Meter,
                    Metrics = ProducerMetrics.Definitions,
                    Namespace = options.MetricsNamespace,
                    Level = options.MetricsLevel,
                    Granularity = options.MetricsGranularity,
                    UploadInterval = options.MetricsUploadDelay,
                    TimeProvider = options.TimeProvider,
                },
                options.Region,
                options.CloudWatchEndpoint,
                options.Credentials,
                options.LoggerFactory);
        }
    }

    public FirehoseProducerOptions Options { get; }

    public TimeProvider Time { get; }

    public ILogger Logger { get; }

    public FirehoseClient Client { get; }

    public BufferBudget Budget { get; }

    public CallbackDispatcher Callbacks { get; }

    public CredentialsFailureLog CredentialsLog { get; }

    public ProducerMetrics Metrics { get; }

    public ResiliencePipeline<BatchProgress> Retry { get; }

    /// <summary>When a record accepted at <paramref name="acceptedAt"/> expires; saturates for very long TTLs.</summary>
    public long DeadlineOf(long acceptedAt)
    {
        var ttl = (long)Math.Min(long.MaxValue / 2.0, Options.RecordTtl.TotalSeconds * Time.TimestampFrequency);
        return acceptedAt > long.MaxValue - ttl ? long.MaxValue : acceptedAt + ttl;
    }

    public async ValueTask DisposeAsync()
    {
        await Callbacks.DisposeAsync().ConfigureAwait(false);
        if (_publisher is not null)
        {
            await _publisher.DisposeAsync().ConfigureAwait(false);
        }

        Client.Dispose();
        Metrics.Dispose();
    }

    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Fixed option types; the native agent's end-to-end tests run this path.")]
    private static ResiliencePipeline<BatchProgress> BuildRetryPipeline(FirehoseProducerOptions options) =>
        BackoffRetry.ForResults<BatchProgress>(
            progress => progress == BatchProgress.Retry, options.RetryBaseDelay, options.RetryMaxDelay, options.TimeProvider);
}
