using System.Text.Json;
using Amazon.Runtime;
using Kinesis.Clients.Agent.Checkpoints;
using Kinesis.Clients.Agent.Configuration;
using Kinesis.Clients.Agent.Ec2;
using Kinesis.Clients.Agent.Processing;
using Kinesis.Clients.Agent.Shipping;
using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Metrics;
using Kinesis.Clients.Producer;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kinesis.Clients.Agent;

/// <summary>
/// The running agent: one producer for the Kinesis endpoint and one for Firehose (each only when a flow needs it),
/// and per flow a tailer feeding a sink. Stopping
/// stops reading, waits for records in flight (up to the shutdown timeout) and saves every checkpoint that
/// in-order acknowledgement allows; what was not acknowledged is read again at the next start.
/// </summary>
internal sealed class AgentEngine : IAsyncDisposable
{
    private readonly AgentConfiguration _config;
    private readonly AgentEngineOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly List<(FlowConfiguration Flow, FlowTailer Tailer, IFlowSink Sink)> _flows = [];
    private readonly CancellationTokenSource _stopReading = new();
    private readonly List<Task> _running = [];
    private readonly Dictionary<TimeSpan, InstanceIdentitySource> _identities = [];
    private SqliteCheckpointStore? _checkpoints;
    private JavaCheckpointImporter? _importer;
    private KinesisProducer? _producer;
    private KinesisProducer? _rawProducer; // flows with kplAggregation false, when other flows aggregate
    private FirehoseProducer? _firehose;
    private CloudWatchMetricsPublisher? _publisher;
    private ITimer? _status;
    private int _stopped;

    public AgentEngine(AgentConfiguration config, AgentEngineOptions? options = null)
    {
        _config = config;
        _options = options ?? new AgentEngineOptions();
        _loggers = _options.LoggerFactory ?? NullLoggerFactory.Instance;
        _logger = _loggers.CreateLogger<AgentEngine>();
        Metrics = new AgentMetrics(_options.TimeProvider);
    }

    public AgentMetrics Metrics { get; }

    /// <summary>The shared producer (after <see cref="Start"/>).</summary>
    public KinesisProducer Producer => _producer ?? throw new InvalidOperationException("The agent has not started, or has no Kinesis flow.");

    /// <summary>The Firehose producer (after <see cref="Start"/>, when a flow sends to a delivery stream).</summary>
    public FirehoseProducer FirehoseProducer => _firehose ?? throw new InvalidOperationException("The agent has not started, or has no Firehose flow.");

    /// <summary>Per flow, the files being tailed and how far each is read and acknowledged.</summary>
    public IReadOnlyList<(string FlowId, IReadOnlyList<FileProgress> Files)> Progress() =>
        _flows.Select(f => (f.Flow.Id, f.Tailer.Progress())).ToList();

    /// <summary>Feeds every PutRecords request's outcome to its stream's Java-named metrics.</summary>
    private KinesisProducerOptions WithRequestMetrics(KinesisProducerOptions settings)
    {
        settings.OnPutRecordsRequest = RequestMetrics(DestinationKind.KinesisStream);
        return settings;
    }

    /// <summary>Records one request's outcome (PutRecords or PutRecordBatch) in its destination's Java-named metrics.</summary>
    private Action<PutRecordsRequestOutcome> RequestMetrics(DestinationKind kind) => request => Metrics.ForDestination(kind, request.StreamName).Request(
        request.UserRecords, request.UserRecordsStored, request.UserDataBytesStored, request.UserRecordsFailed, request.RequestErrorCode is not null);

    /// <summary>Opens the checkpoints, builds the producer and starts tailing every flow.</summary>
    public void Start()
    {
        var time = _options.TimeProvider;
        _checkpoints = new SqliteCheckpointStore(_config.CheckpointFile, _loggers.CreateLogger<SqliteCheckpointStore>());
        _importer = new JavaCheckpointImporter(
            _config.JavaCheckpointFile ?? JavaCheckpointDatabase.DefaultPath, _checkpoints, time, _loggers.CreateLogger<JavaCheckpointImporter>());

        var kinesisFlows = _config.Flows.Where(f => !f.IsFirehose).ToList();
        if (kinesisFlows.Count > 0)
        {
            // A producer aggregates all of its streams or none, so flows that send raw records get their own.
            var aggregated = kinesisFlows.Any(f => f.KplAggregation);
            _producer = new KinesisProducer(WithRequestMetrics(ProducerSettings.Create(_config, _options, aggregated)));
            if (aggregated && kinesisFlows.Any(f => !f.KplAggregation))
            {
                _rawProducer = new KinesisProducer(WithRequestMetrics(ProducerSettings.Create(_config, _options, aggregate: false)));
            }
        }

        if (_config.Flows.Any(f => f.IsFirehose))
        {
            var settings = FirehoseProducerSettings.Create(_config, _options, _producer?.Options.Credentials ?? _options.Credentials ?? ProducerSettings.Credentials(_config));
            settings.OnPutRecordBatchRequest = RequestMetrics(DestinationKind.DeliveryStream);
            _firehose = new FirehoseProducer(settings);
        }

        if (_config.CloudWatchEmitMetrics && _options.EmitCloudWatchMetrics)
        {
            _publisher = CloudWatchMetricsPublisher.Create(
                new CloudWatchMetricsPublisherOptions
                {
                    Meter = Metrics.Meter,
                    Metrics = AgentMetrics.Definitions,
                    Namespace = _config.CloudWatchNamespace,
                    Level = MetricsLevel.Summary,
                    UploadInterval = _config.CloudWatchMetricsBufferTime,
                    Granularity = MetricsGranularity.Global,
                    TimeProvider = time,
                },
                _config.Region,
                ProducerSettings.EndpointUri(_config.CloudWatchEndpoint, "cloudwatch.endpoint"),
                _producer?.Options.Credentials ?? _firehose?.Options.Credentials,
                _loggers);
        }

        foreach (var flow in _config.Flows)
        {
            IFlowSink sink = flow.IsFirehose
                ? new FirehoseFlowSink(
                    _firehose!,
                    flow.Destination,
                    ProcessingChain.Create(flow.DataProcessingOptions, time, InstanceIdentity),
                    Metrics.ForDestination(DestinationKind.DeliveryStream, flow.Destination),
                    flow.MaxRecordSizeBytes,
                    time,
                    _logger)
                : new FlowSink(
                    flow.KplAggregation ? _producer! : _rawProducer ?? _producer!,
                    flow.Destination,
                    ProcessingChain.Create(flow.DataProcessingOptions, time, InstanceIdentity),
                    KeysFor(flow),
                    Metrics.ForStream(flow.Destination),
                    flow.MaxRecordSizeBytes,
                    time,
                    _logger);
            var tailer = new FlowTailer(TailingFor(flow, _config.CheckpointTimeToLive), _checkpoints, sink, time, _loggers.CreateLogger<FlowTailer>());
            Metrics.TrackBacklog(flow.Id, sink.Counters, () => tailer.Progress().Select(p => (p.Path, p.BytesBehind)));
            _flows.Add((flow, tailer, sink));
            AgentLog.FlowStarted(_logger, flow.Id, flow.FilePattern, flow.Destination);
        }

        foreach (var (flow, tailer, _) in _flows)
        {
            _running.Add(RunFlowAsync(flow, tailer));
        }

        foreach (var (key, value) in _config.IgnoredSettings.Concat(_config.Flows.SelectMany(f => f.IgnoredSettings)))
        {
            AgentLog.SettingIgnored(_logger, key, value);
        }

        _status = time.CreateTimer(_ => ReportStatus(), null, _config.StatusReportingPeriod, _config.StatusReportingPeriod);
    }

    /// <summary>Stops reading, flushes within the shutdown timeout and saves checkpoints.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        AgentLog.Stopping(_logger, _config.ShutdownTimeout);
        if (_status is not null)
        {
            await _status.DisposeAsync().ConfigureAwait(false);
        }

        await _stopReading.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_running).ConfigureAwait(false);
        var flushes = new List<(Task Flush, Func<long> Outstanding)>();
        if (_producer is not null)
        {
            flushes.Add((_producer.FlushAsync(cancellationToken: cancellationToken), () => _producer.OutstandingRecords));
        }

        if (_rawProducer is not null)
        {
            flushes.Add((_rawProducer.FlushAsync(cancellationToken: cancellationToken), () => _rawProducer.OutstandingRecords));
        }

        if (_firehose is not null)
        {
            flushes.Add((_firehose.FlushAsync(cancellationToken: cancellationToken), () => _firehose.OutstandingRecords));
        }

        try
        {
            await Task.WhenAll(flushes.Select(f => f.Flush))
                .WaitAsync(_config.ShutdownTimeout, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            AgentLog.StopLeftRecords(_logger, flushes.Sum(f => f.Outstanding()), _config.ShutdownTimeout);
        }

        foreach (var (_, tailer, _) in _flows)
        {
            await tailer.SaveCheckpointsAsync(CancellationToken.None).ConfigureAwait(false);
        }

        AgentLog.Stopped(_logger);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        foreach (var (_, tailer, sink) in _flows)
        {
            await sink.DisposeAsync().ConfigureAwait(false);
            await tailer.DisposeAsync().ConfigureAwait(false);
        }

        if (_producer is not null)
        {
            await _producer.DisposeAsync().ConfigureAwait(false);
        }

        if (_rawProducer is not null)
        {
            await _rawProducer.DisposeAsync().ConfigureAwait(false);
        }

        if (_firehose is not null)
        {
            await _firehose.DisposeAsync().ConfigureAwait(false);
        }

        Metrics.Dispose();
        if (_publisher is not null)
        {
            await _publisher.DisposeAsync().ConfigureAwait(false);
        }

        _importer?.Dispose();
        _checkpoints?.Dispose();
        foreach (var identity in _identities.Values)
        {
            identity.Dispose();
        }

        _stopReading.Dispose();
    }

    private static PartitionKeySelector KeysFor(FlowConfiguration flow) => flow.PartitionKeyOption switch
    {
        PartitionKeyOption.Deterministic => PartitionKeySelector.Deterministic(),
        PartitionKeyOption.File => PartitionKeySelector.File(),
        PartitionKeyOption.Field => PartitionKeySelector.Field(flow.PartitionKeyField!),
        PartitionKeyOption.Regex => PartitionKeySelector.Pattern(flow.PartitionKeyPattern!),
        _ => PartitionKeySelector.Random(),
    };

    /// <summary>ADDEC2METADATA's identity, read once per refresh interval for all flows that ask for it.</summary>
    private Func<JsonElement?> InstanceIdentity(AddEc2MetadataOption option)
    {
        if (!_identities.TryGetValue(option.MetadataTtl, out var source))
        {
            source = new InstanceIdentitySource(null, option.MetadataTtl, _options.TimeProvider, _loggers.CreateLogger<InstanceIdentitySource>());
            _identities[option.MetadataTtl] = source;
        }

        return () => source.Current;
    }

    private static TailingOptions TailingFor(FlowConfiguration flow, TimeSpan checkpointTimeToLive) => new()
    {
        FlowId = flow.Id,
        FilePattern = flow.FilePattern,
        StartAtEndOfFile = flow.InitialPosition == InitialPosition.EndOfFile,
        MultiLineStartPattern = flow.MultiLineStartPattern,
        FileFooterPattern = flow.FileFooterPattern,
        MultiLineFlushTimeout = flow.MultiLineFlushTimeout,
        SkipHeaderLines = flow.SkipHeaderLines,
        MaxRecordBytes = flow.MaxRecordSizeBytes,
        TruncatedRecordTerminator = flow.TruncatedRecordTerminator,
        PollInterval = flow.MinTimeBetweenFilePolls,

        // The Kinesis Agent's key is the longest wait between refreshes; rotations are noticed sooner.
        DiscoveryInterval = flow.MaxTimeBetweenFileTrackerRefresh < TimeSpan.FromSeconds(1) ? flow.MaxTimeBetweenFileTrackerRefresh : TimeSpan.FromSeconds(1),
        ForgetCheckpointsAfter = checkpointTimeToLive,
    };

    private void ReportStatus()
    {
        if (!_logger.IsEnabled(LogLevel.Information))
        {
            return;
        }

        foreach (var (flow, tailer, sink) in _flows)
        {
            var files = tailer.Progress();
            var behind = files.Sum(f => f.BytesBehind);
            AgentLog.Status(
                _logger, flow.Id, files.Count, behind, sink.StreamName, sink.Counters.RecordsParsed,
                sink.Counters.RecordsSent, sink.Counters.SendErrors, sink.Counters.ProcessingErrors, sink.Counters.RecordsSkipped);
        }
    }

    private async Task RunFlowAsync(FlowConfiguration flow, FlowTailer tailer)
    {
        try
        {
            // Before the tailer loads the flow's checkpoints, so imported ones are among them.
            await _importer!.ImportAsync(flow.Id, flow.FilePattern, _stopReading.Token).ConfigureAwait(false);
            await tailer.RunAsync(_stopReading.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (_stopReading.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            AgentLog.FlowFailed(_logger, flow.Id, ex);
        }
    }
}
