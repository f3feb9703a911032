using System.Diagnostics.CodeAnalysis;
using Amazon.KeyManagementService;
using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Encryption;
using Kinesis.Clients.Metrics;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Producer.Pipeline;
using Kinesis.Clients.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.Retry;

namespace Kinesis.Clients.Producer;

/// <summary>
/// The producer's composition: everything <see cref="KinesisProducer"/> builds from its options (the Kinesis
/// client, admission, metrics and their CloudWatch publisher, the failure callbacks' dispatcher, the retry
/// policy), built here in one place and disposed in order.
/// </summary>
internal sealed class ProducerParts : IAsyncDisposable
{
    // CloudWatchClientOptions' default pool size: uploads are one request a minute.
    private const int CloudWatchConnections = 4;

    private readonly CallbackDispatcher _callbacks;
    private readonly CloudWatchMetricsPublisher? _publisher;
    private readonly IAmazonKeyManagementService? _kms;
    private readonly AmazonKeyManagementServiceClient? _ownedKms;
    private readonly SocketsHttpHandler? _kinesisHandler;
    private readonly SocketsHttpHandler? _cloudWatchHandler;

    public ProducerParts(KinesisProducerOptions options)
    {
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<KinesisProducer>();
        foreach (var (key, why) in options.NotApplicableKplKeys)
        {
            ProducerLog.KplKeyNotApplicable(logger, key, why);
        }

        if (ProducerHttp.NeedsOwnHandler(options))
        {
            _kinesisHandler = ProducerHttp.CreateHandler(options, options.MaxConnections);
            _cloudWatchHandler = ProducerHttp.CreateHandler(options, CloudWatchConnections);
        }

        Client = new KinesisClient(new KinesisClientOptions
        {
            Region = options.Region,
            ServiceUrl = options.KinesisEndpoint,
            Credentials = options.Credentials,
            Protocol = options.Protocol,
            RequestTimeout = options.RequestTimeout,
            ConnectTimeout = options.ConnectTimeout,
            MaxConnections = options.MaxConnections,
            MaxRecordSizeBytes = Math.Max(options.MaxUserRecordSize, Math.Min(options.AggregationMaxSize + 256, KinesisClientOptions.LargestMaxRecordSizeBytes)),
            HttpHandler = options.HttpHandler ?? _kinesisHandler,
            TimeProvider = options.TimeProvider,
        });
        var admission = new RecordAdmission(options);
        _callbacks = new CallbackDispatcher(options.OnRecordFailed, logger);
        var metrics = new ProducerMetrics(() => admission.Records, options.TimeProvider);
        if (options.MetricsLevel != MetricsLevel.None)
        {
            // Uploads run on the publisher's own timer and never hold up records; failures are logged.
            var publisherOptions = new CloudWatchMetricsPublisherOptions
            {
                Meter = metrics.Meter,
                Metrics = ProducerMetrics.Definitions,
                Namespace = options.MetricsNamespace,
                Level = options.MetricsLevel,
                Granularity = options.MetricsGranularity,
                UploadInterval = options.MetricsUploadDelay,
                TimeProvider = options.TimeProvider,
            };
            _publisher = _cloudWatchHandler is null
                ? CloudWatchMetricsPublisher.Create(publisherOptions, options.Region, options.CloudWatchEndpoint, options.Credentials, options.LoggerFactory)
                : new CloudWatchMetricsPublisher(
                    new CloudWatchClientOptions
                    {
                        Region = options.Region,
                        ServiceUrl = options.CloudWatchEndpoint,
                        Credentials = options.Credentials,
                        HttpHandler = _cloudWatchHandler,
                        TimeProvider = options.TimeProvider,
                    },
                    publisherOptions,
                    loggerFactory.CreateLogger<CloudWatchMetricsPublisher>());
        }

        Context = new ProducerContext(options, logger, metrics, admission, _callbacks, BuildRetryPipeline(options));
        if (options.Encryption is { } encryption)
        {
            _ownedKms = encryption.KmsClient is null ? KmsClientFactory.Create(options.Region, options.Credentials) : null;
            _kms = encryption.KmsClient ?? _ownedKms;
        }
    }

    public KinesisClient Client { get; }

    /// <summary>What the streams' pipelines share.</summary>
    public ProducerContext Context { get; }

    /// <summary>A stream's pipeline, not started.</summary>
    public StreamPipeline CreatePipeline(string streamName) => new(
        new StreamContext(streamName, Context)
        {
            Encryptor = _kms is null ? null : new RecordEncryptor(_kms, Context.Options.Encryption!, streamName, Context.Time),
        },
        Client);

    public async ValueTask DisposeAsync()
    {
        await _callbacks.DisposeAsync().ConfigureAwait(false);
        if (_publisher is not null)
        {
            await _publisher.DisposeAsync().ConfigureAwait(false);
        }

        Client.Dispose();
        _ownedKms?.Dispose();
        _kinesisHandler?.Dispose();
        _cloudWatchHandler?.Dispose();
        Context.Metrics.Dispose();
    }

    // Polly validates the options with DataAnnotations when the strategy is added, through reflection the native
    // AOT compiler cannot prove safe in general (it names Enum.GetValues(Type)). The options are fixed types, and
    // the natively compiled agent runs this path in its end-to-end tests.
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Fixed option types; the native agent's end-to-end tests run this path.")]
    private static ResiliencePipeline<BatchProgress> BuildRetryPipeline(KinesisProducerOptions options) =>
        // Records leave the retry loop by succeeding, failing for good, or expiring at RecordTtl.
        BackoffRetry.ForResults<BatchProgress>(
            progress => progress == BatchProgress.Retry, options.RetryBaseDelay, options.RetryMaxDelay, options.TimeProvider);
}
