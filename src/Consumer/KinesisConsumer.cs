using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Kinesis.Clients.Consumer.Failures;
using Kinesis.Clients.Consumer.FanOut;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Consumer.Worker;
using Kinesis.Clients.Endpoints;
using Kinesis.Clients.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kinesis.Clients.Consumer;

/// <summary>
/// Consumes a stream the way the Kinesis Client Library does: workers of one application share a
/// KCL-compatible DynamoDB lease table, each shard is processed by exactly one worker at a time, in order,
/// parents before children across resharding, from the last checkpoint after a crash.
/// </summary>
/// <remarks>
/// Unlike the KCL, a graceful shutdown releases this worker's leases after the processors have checkpointed,
/// so other workers take them over at their next lease round instead of after the failover time.
/// </remarks>
public sealed class KinesisConsumer : IAsyncDisposable
{
    private readonly IRecordProcessorFactory _factory;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, ShardConsumer> _running = new(StringComparer.Ordinal);
    private int _started;

    /// <summary>Builds a consumer; throws <see cref="ArgumentException"/> naming any invalid option.</summary>
    public KinesisConsumer(KinesisConsumerOptions options, IRecordProcessorFactory factory)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(factory);
        options.Validate();
        Options = options;
        _factory = factory;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<KinesisConsumer>();
    }

    /// <summary>The options the consumer was built with.</summary>
    public KinesisConsumerOptions Options { get; }

    /// <summary>The leases this worker is processing now: shard ids, or <c>account:stream:creationEpoch:shardId</c> in multi-stream mode.</summary>
    public IReadOnlyCollection<string> ProcessingShards => _running.Keys.ToArray();

    /// <summary>
    /// Runs the worker until <paramref name="cancellationToken"/> is cancelled, then shuts down gracefully, as the
    /// KCL's graceful shutdown: reading stops, a <see cref="IRecordProcessor.ProcessRecordsAsync"/> call under way
    /// finishes (its token is not cancelled, so its checkpoint lands), then processors are asked to checkpoint
    /// (<see cref="IRecordProcessor.ShutdownRequestedAsync"/>), all within
    /// <see cref="KinesisConsumerOptions.ShutdownTimeout"/> (past it the calls' tokens are cancelled), and the leases
    /// are released.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The Java KCL fleet sharing the lease table runs KCL 3.x's leader-based protocol: at start (nothing written), or
    /// after it switched while this worker ran (checked every minute; the worker then stopped as gracefully as on
    /// cancellation before throwing).
    /// </exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A KinesisConsumer runs once; create another to run again.");
        }

        var options = Options;
        var region = AwsRegionResolver.Resolve(options.Region);
        var credentials = Kinesis.Clients.Auth.AwsCredentialsResolver.Resolve(options.Credentials);
        // Clients passed in belong to the caller; only the ones built here are disposed here.
        using var ownKinesis = options.KinesisClient is null
            ? new KinesisClient(new KinesisClientOptions
            {
                Region = region,
                ServiceUrl = options.KinesisEndpoint,
                Credentials = credentials,
                TimeProvider = options.TimeProvider,
            })
            : null;
        var kinesis = options.KinesisClient ?? ownKinesis!;
        using var ownDynamo = options.DynamoDbClient is null ? new AmazonDynamoDBClient(credentials, DynamoConfig(options, region)) : null;
        var store = new DynamoDbLeaseStore(
            options.DynamoDbClient ?? ownDynamo!,
            new LeaseTableOptions
            {
                TableName = options.EffectiveLeaseTableName,
                ReadCapacityUnits = options.BillingMode == BillingMode.PROVISIONED ? options.InitialLeaseTableReadCapacity : null,
                WriteCapacityUnits = options.BillingMode == BillingMode.PROVISIONED ? options.InitialLeaseTableWriteCapacity : null,
                DeletionProtectionEnabled = options.LeaseTableDeletionProtectionEnabled,
                Tags = new Dictionary<string, string>(options.LeaseTableTags, StringComparer.Ordinal),
                CoordinatorStateTableName = KclFleetMode.CoordinatorStateTableName(options.ApplicationName),
                TimeProvider = options.TimeProvider,
            },
            options.LoggerFactory?.CreateLogger<DynamoDbLeaseStore>());
        try
        {
            await store.CreateTableIfNotExistsAsync(cancellationToken).ConfigureAwait(false);

            // Before this worker writes a single lease: a fleet in KCL 3.x mode is refused, not disturbed.
            KclFleetMode.EnsureCanJoin(store.TableName, await store.ReadFleetClientVersionAsync(cancellationToken).ConfigureAwait(false));
            LeaseTableMode.EnsureMatches(store.TableName, options.IsMultiStream, await store.ListAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before starting (e.g. while the table was being created): nothing held, nothing to release.
            return;
        }

        using var decryption = options.Decryption is { } settings
            ? new RecordDecryptionSource(settings, region, credentials, options.TimeProvider, options.LoggerFactory?.CreateLogger<RecordDecryptionSource>())
            : null;
        using var metrics = new ConsumerMetrics(options.StreamLabel, options.WorkerId);
        var publisher = CreatePublisher(options, region, credentials, metrics);
        try
        {
            var fanOutMode = options.RetrievalMode == RetrievalMode.EnhancedFanOut;
            using var fanOut = fanOutMode && options.Streams is null
                ? await FanOutConnection.OpenAsync(kinesis, options, _logger, cancellationToken).ConfigureAwait(false)
                : null;

            // Several streams: one subscriber for all, each stream's consumer registered when its first shard starts.
            using var streamsFanOut = fanOutMode && options.Streams is not null ? new FanOutSubscriber(kinesis, options.FanOut) : null;
            var worker = new ConsumerWorker(
                options,
                store,
                ct => ListShardsAsync(kinesis, options, ct),
                (shardId, range, start) => CreateSource(kinesis, fanOut, options, shardId, range, start, decryption),
                _factory,
                metrics,
                _running,
                _logger)
            {
                ReadFleetClientVersion = store.ReadFleetClientVersionAsync,
                MultiStream = options.Streams is { } tracker ? MultiStreamAccess(kinesis, tracker, options, decryption, streamsFanOut, _logger) : null,
                WriteDeadLetters = options.FailedBatchAction == FailedBatchAction.DeadLetter
                    ? new DeadLetterWriter(kinesis, options.DeadLetterStreamName!, options.ApplicationName, options.TimeProvider).WriteAsync
                    : null,
            };
            await worker.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (publisher is not null)
            {
                await publisher.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Nothing to release beyond what <see cref="RunAsync"/> releases when it returns.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static IShardRecordSource CreateSource(
        KinesisClient kinesis, FanOutConnection? fanOut, KinesisConsumerOptions options, string shardId, Kinesis.Clients.Records.HashKeyRange? range,
        StartingPosition start, RecordDecryptionSource? decryption) =>
        fanOut is not null
            ? new FanOutRecordSource(fanOut.Client, fanOut.ConsumerArn, shardId, range, start, options.LoggerFactory?.CreateLogger<FanOutRecordSource>()) { Decryption = decryption }
            : new PollingShardReader(
                kinesis,
                options.StreamArn ?? options.StreamName,
                shardId,
                range,
                start,
                new ShardReaderOptions { MaxRecords = options.MaxRecords, IdleTimeBetweenReads = options.IdleTimeBetweenReads },
                options.TimeProvider,
                options.LoggerFactory?.CreateLogger<PollingShardReader>())
            { Decryption = decryption };

    private static Task<IReadOnlyList<Shard>> ListShardsAsync(KinesisClient kinesis, KinesisConsumerOptions options, CancellationToken cancellationToken) =>
        ListShardsAsync(kinesis, options.StreamArn ?? options.StreamName, cancellationToken);

    private static StreamAccess MultiStreamAccess(
        KinesisClient kinesis, MultiStreamTracker tracker, KinesisConsumerOptions options, RecordDecryptionSource? decryption, FanOutSubscriber? fanOut, ILogger logger) => new()
        {
            Tracker = tracker,
            Identify = async (stream, cancellationToken) =>
            {
                if (stream.Identifier is { } known)
                {
                    return known;
                }

                // The KCL takes account and creation epoch from the application; the stream's own summary has both.
                var summary = await kinesis.DescribeStreamSummaryAsync(stream.Arn is null ? stream.StreamName : null, stream.Arn?.ToString(), cancellationToken).ConfigureAwait(false);
                if (!StreamArn.TryParse(summary.StreamArn, out var arn) || summary.StreamCreationTimestamp is not { } created)
                {
                    throw new InvalidDataException($"DescribeStreamSummary of '{stream.Text}' gave no usable ARN ('{summary.StreamArn}') or creation time.");
                }

                return StreamIdentifier.MultiStream(arn.AccountId, arn.StreamName, created.ToUnixTimeSeconds());
            },
            ListShards = (address, cancellationToken) => ListShardsAsync(kinesis, address, cancellationToken),
            CreateSource = fanOut is not null
            ? FanOutSources(new StreamConsumers(kinesis, options, logger), fanOut, options, decryption)
            : (address, shardId, range, start) => new PollingShardReader(
            kinesis,
            address,
            shardId,
            range,
            start,
            new ShardReaderOptions { MaxRecords = options.MaxRecords, IdleTimeBetweenReads = options.IdleTimeBetweenReads },
            options.TimeProvider,
            options.LoggerFactory?.CreateLogger<PollingShardReader>())
            { Decryption = decryption },
        };

    private static Func<string, string, Kinesis.Clients.Records.HashKeyRange?, StartingPosition, IShardRecordSource> FanOutSources(
        StreamConsumers consumers, FanOutSubscriber fanOut, KinesisConsumerOptions options, RecordDecryptionSource? decryption) =>
        (address, shardId, range, start) => new DeferredFanOutSource(
            cancellationToken => consumers.ConsumerArnAsync(address, cancellationToken),
            fanOut,
            shardId,
            range,
            start,
            decryption,
            options.LoggerFactory?.CreateLogger<FanOutRecordSource>());

    // The address is the stream's ARN, or its name.
    private static async Task<IReadOnlyList<Shard>> ListShardsAsync(KinesisClient kinesis, string address, CancellationToken cancellationToken)
    {
        if (!address.StartsWith("arn:", StringComparison.Ordinal))
        {
            return await kinesis.ListAllShardsAsync(address, null, cancellationToken).ConfigureAwait(false);
        }

        var shards = new List<Shard>();
        var page = await kinesis.ListShardsAsync(new ListShardsRequest { StreamArn = address }, cancellationToken).ConfigureAwait(false);
        shards.AddRange(page.Shards);
        while (page.NextToken is not null)
        {
            page = await kinesis.ListShardsAsync(new ListShardsRequest { NextToken = page.NextToken }, cancellationToken).ConfigureAwait(false);
            shards.AddRange(page.Shards);
        }

        return shards;
    }

    private static AmazonDynamoDBConfig DynamoConfig(KinesisConsumerOptions options, string region)
    {
        var endpoint = AwsEndpointResolver.Resolve("DYNAMODB", "dynamodb", options.DynamoDbEndpoint, region, optionName: nameof(options.DynamoDbEndpoint));
        return new AmazonDynamoDBConfig { ServiceURL = endpoint.ToString(), AuthenticationRegion = region };
    }

    private static CloudWatchMetricsPublisher? CreatePublisher(
        KinesisConsumerOptions options,
        string region,
        Amazon.Runtime.AWSCredentials credentials,
        ConsumerMetrics metrics)
    {
        if (options.MetricsLevel == MetricsLevel.None)
        {
            return null;
        }

        return CloudWatchMetricsPublisher.Create(
            new CloudWatchMetricsPublisherOptions
            {
                Meter = metrics.Meter,
                Metrics = ConsumerMetricDefinitions.For(options.MetricsEnabledDimensions),
                Namespace = options.EffectiveMetricsNamespace,
                Level = options.MetricsLevel,

                // Each metric carries exactly its KCL dimensions: no KPL-style overall and per-stream roll-up.
                Granularity = MetricsGranularity.Global,
                UploadInterval = options.MetricsBufferTime,
                MaxSeries = options.MetricsMaxQueueSize,
                TimeProvider = options.TimeProvider,
            },
            region,
            options.CloudWatchEndpoint,
            credentials,
            options.LoggerFactory);
    }
}
