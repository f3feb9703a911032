using System.Collections.Concurrent;
using Amazon.DynamoDBv2;
using Kinesis.Clients.Consumer.FanOut;
using Kinesis.Clients.Consumer.Leases;
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

    /// <summary>The shards this worker is processing now.</summary>
    public IReadOnlyCollection<string> ProcessingShards => _running.Keys.ToArray();

    /// <summary>
    /// Runs the worker until <paramref name="cancellationToken"/> is cancelled, then shuts down gracefully:
    /// processors are asked to checkpoint (<see cref="IRecordProcessor.ShutdownRequestedAsync"/>) within
    /// <see cref="KinesisConsumerOptions.ShutdownTimeout"/>, and the leases are released.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref _started, 1) != 0)
        {
            throw new InvalidOperationException("A KinesisConsumer runs once; create another to run again.");
        }

        var options = Options;
        var region = AwsRegionResolver.Resolve(options.Region);
        var credentials = Kinesis.Clients.Auth.AwsCredentialsResolver.Resolve(options.Credentials);
        using var kinesis = new KinesisClient(new KinesisClientOptions
        {
            Region = region,
            ServiceUrl = options.KinesisEndpoint,
            Credentials = credentials,
            TimeProvider = options.TimeProvider,
        });
        using var dynamo = new AmazonDynamoDBClient(credentials, DynamoConfig(options, region));
        var store = new DynamoDbLeaseStore(dynamo, new LeaseTableOptions { TableName = options.ApplicationName, TimeProvider = options.TimeProvider });
        try
        {
            await store.CreateTableIfNotExistsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped before starting (e.g. while the table was being created): nothing held, nothing to release.
            return;
        }

        using var metrics = new ConsumerMetrics(options.StreamName, () => _running.Count);
        var publisher = CreatePublisher(options, region, credentials, metrics);
        try
        {
            await RunWorkerAsync(options, kinesis, store, metrics, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (publisher is not null)
            {
                await publisher.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task RunWorkerAsync(KinesisConsumerOptions options, KinesisClient kinesis, DynamoDbLeaseStore store, ConsumerMetrics metrics, CancellationToken cancellationToken)
    {
        using var fanOut = options.RetrievalMode == RetrievalMode.EnhancedFanOut
            ? await FanOutConnection.OpenAsync(kinesis, options, _logger, cancellationToken).ConfigureAwait(false)
            : null;

        using var wake = new SemaphoreSlim(0);
        var acquired = new ConcurrentQueue<Lease>();
        var lost = new ConcurrentQueue<string>();
        var tracked = new StealAwareLeaseStore(store, options.FailoverTime, options.TimeProvider);
        var leases = new LeaseCoordinator(tracked, new LeaseCoordinatorOptions
        {
            WorkerId = options.WorkerId,
            FailoverTime = options.FailoverTime,
            RenewalInterval = options.EffectiveRenewalInterval,

            // Faster than the KCL's 2 x failover, so released leases find a new owner within seconds.
            TakeInterval = options.FailoverTime / 2,
            OnLeaseAcquired = lease =>
            {
                acquired.Enqueue(lease);
                wake.Release();
            },
            OnLeaseLost = key =>
            {
                lost.Enqueue(key);
                wake.Release();
            },
            TimeProvider = options.TimeProvider,
            LoggerFactory = options.LoggerFactory,
        });
        await using var leasesScope = leases.ConfigureAwait(false);

        var context = new ConsumerContext(
            options,
            leases,
            store,
            _factory,
            metrics,
            _logger,
            (shardId, range, start) => CreateSource(kinesis, fanOut, options, shardId, range, start),
            done =>
            {
                _running.TryRemove(new KeyValuePair<string, ShardConsumer>(done.ShardId, done));
                wake.Release();
            })
        {
            TakeWasSteal = tracked.TakeWasSteal,
        };
        var syncer = new ShardSyncer(kinesis, store, options, _logger);

        ConsumerLog.WorkerStarted(_logger, options.WorkerId, options.StreamName, options.ApplicationName);
        await SyncAsync(syncer, cancellationToken).ConfigureAwait(false);
        leases.Start();
        var nextSync = options.TimeProvider.GetTimestamp();
        var waiting = new List<Lease>();
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                while (lost.TryDequeue(out var key))
                {
                    metrics.Lost();
                    if (_running.TryGetValue(key, out var consumer))
                    {
                        consumer.LoseLease();
                    }
                }

                while (acquired.TryDequeue(out var lease))
                {
                    metrics.Taken();
                    if (!lease.IsFinished)
                    {
                        waiting.Add(lease);
                    }
                }

                // A lease taken back while the consumer of its lost tenure still waits for its processor starts
                // once that one is done (its completion wakes this loop); dropping it would leave the lease held
                // and renewed with nobody processing it.
                waiting.RemoveAll(lease =>
                {
                    if (_running.TryGetValue(lease.LeaseKey, out var previous))
                    {
                        return !previous.IsStopping;
                    }

                    if (leases.TryGetHeldLease(lease.LeaseKey, out _))
                    {
                        var consumer = new ShardConsumer(context, lease);
                        _running[lease.LeaseKey] = consumer;
                        consumer.Start();
                    }

                    return true;
                });

                if (options.TimeProvider.GetElapsedTime(nextSync) >= TimeSpan.Zero)
                {
                    await SyncAsync(syncer, cancellationToken).ConfigureAwait(false);
                    nextSync = options.TimeProvider.GetTimestamp() + (long)(options.ShardSyncInterval.TotalSeconds * options.TimeProvider.TimestampFrequency);
                }

                try
                {
                    await wake.WaitAsync(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                }
            }
        }
        finally
        {
            await ShutDownAsync(leases).ConfigureAwait(false);
        }
    }

    /// <summary>Nothing to release beyond what <see cref="RunAsync"/> releases when it returns.</summary>
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private async Task ShutDownAsync(LeaseCoordinator leases)
    {
        var consumers = _running.Values.ToList();
        foreach (var consumer in consumers)
        {
            consumer.RequestShutdown();
        }

        var all = Task.WhenAll(consumers.Select(c => c.Completion));
        await Task.WhenAny(all, Task.Delay(Options.ShutdownTimeout + TimeSpan.FromSeconds(1), Options.TimeProvider)).ConfigureAwait(false);

        // After the processors' last checkpoints: hand the leases back so another worker takes them at once.
        var released = await leases.ReleaseAllAsync(CancellationToken.None).ConfigureAwait(false);
        await leases.StopAsync().ConfigureAwait(false);
        ConsumerLog.WorkerStopped(_logger, Options.WorkerId, released);
    }

    private async Task SyncAsync(ShardSyncer syncer, CancellationToken cancellationToken)
    {
        try
        {
            await syncer.SyncAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is AwsServiceException or AmazonDynamoDBException)
        {
            ConsumerLog.ShardSyncFailed(_logger, Options.StreamName, ex.Message, ex);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: a sync cut short is no failure, and the shutdown that follows must not be skipped.
        }
    }

    private static IShardRecordSource CreateSource(KinesisClient kinesis, FanOutConnection? fanOut, KinesisConsumerOptions options, string shardId, Kinesis.Clients.Records.HashKeyRange? range, StartingPosition start) =>
        fanOut is not null
            ? new FanOutRecordSource(fanOut.Client, fanOut.ConsumerArn, shardId, range, start, options.LoggerFactory?.CreateLogger<FanOutRecordSource>())
            : new PollingShardReader(
                kinesis,
                options.StreamName,
                shardId,
                range,
                start,
                new ShardReaderOptions { MaxRecords = options.MaxRecords, IdleTimeBetweenReads = options.IdleTimeBetweenReads },
                options.TimeProvider,
                options.LoggerFactory?.CreateLogger<PollingShardReader>());

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
                Metrics = ConsumerMetrics.Definitions,
                Namespace = options.ApplicationName,
                Level = options.MetricsLevel,
                TimeProvider = options.TimeProvider,
            },
            region,
            options.CloudWatchEndpoint,
            credentials,
            options.LoggerFactory);
    }
}
