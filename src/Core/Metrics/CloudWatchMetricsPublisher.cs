using System.Diagnostics.Metrics;
using Amazon.Runtime;
using Kinesis.Clients.CloudWatch;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Kinesis.Clients.Metrics;

/// <summary>
/// Uploads the instruments of one <see cref="System.Diagnostics.Metrics.Meter"/> to CloudWatch the way the KPL
/// uploads its metrics: every measurement is folded into a statistic set (sample count, sum, minimum, maximum) per
/// metric and dimension set, and each upload interval's sets go out with PutMetricData, at every granularity level
/// up to the configured one.
/// </summary>
/// <remarks>
/// <para>
/// Recording stays cheap and never waits for the network: a measurement of an existing series takes one striped
/// lock and allocates nothing; uploads run on their own, with a time-out, and a failure is logged, never thrown at
/// the recording side. The data of a failed upload is sent once more with the next one and then dropped.
/// </para>
/// <para>
/// Counters, histograms, up-down counters and gauges are all read as samples: each <c>Add</c> or <c>Record</c> (or
/// each observation of an observable instrument, taken once per upload) is one sample. Tag values should be
/// strings; others are formatted, which allocates.
/// </para>
/// </remarks>
public sealed class CloudWatchMetricsPublisher : IAsyncDisposable
{
    private readonly Dictionary<string, TrackedMetric> _metrics = new(StringComparer.Ordinal);
    private readonly SeriesBudget _budget;
    private readonly MetricRollup _rollup;
    private readonly MetricsUploader _uploader;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly TimeSpan _uploadInterval;
    private readonly TimeSpan _uploadTimeout;
    private readonly TimeSpan _flushOnDisposeTimeout;
    private readonly string _namespace;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly CancellationTokenSource _stopping = new();
    private readonly MeterListener? _listener;
    private readonly Task _loop = Task.CompletedTask;
    private readonly CloudWatchClient? _ownedClient;
    private int _disposed;

    /// <summary>Starts listening to the meter and uploading through <paramref name="client"/>, which the publisher does not dispose.</summary>
    /// <exception cref="ArgumentException">An option is invalid; the exception names it.</exception>
    public CloudWatchMetricsPublisher(CloudWatchClient client, CloudWatchMetricsPublisherOptions options, ILogger? logger = null)
        : this(options, logger, (client ?? throw new ArgumentNullException(nameof(client))).PutMetricDataAsync)
    {
    }

    /// <summary>
    /// Starts listening to the meter and uploading through a client of its own, made from
    /// <paramref name="clientOptions"/> and disposed with the publisher.
    /// </summary>
    /// <exception cref="ArgumentException">An option is invalid; the exception names it.</exception>
    public CloudWatchMetricsPublisher(CloudWatchClientOptions clientOptions, CloudWatchMetricsPublisherOptions options, ILogger? logger = null)
        : this(ClientFor(clientOptions, options), options, logger, owned: true)
    {
    }

    /// <summary>
    /// Starts a publisher the way the producer, the consumer and the agent do: with a CloudWatch client of its own
    /// (disposed with the publisher) on the publisher's clock, and a logger from <paramref name="loggerFactory"/>.
    /// </summary>
    /// <param name="options">What to upload, where and how often.</param>
    /// <param name="region">The region; <see langword="null"/> resolves it like the AWS SDKs.</param>
    /// <param name="serviceUrl">The CloudWatch endpoint; <see langword="null"/> resolves it like the AWS SDKs.</param>
    /// <param name="credentials">The credentials; <see langword="null"/> uses AWSSDK.Core's default chain.</param>
    /// <param name="loggerFactory">Where upload failures are logged; <see langword="null"/> logs nothing.</param>
    /// <exception cref="ArgumentException">An option is invalid; the exception names it.</exception>
    public static CloudWatchMetricsPublisher Create(
        CloudWatchMetricsPublisherOptions options,
        string? region,
        Uri? serviceUrl,
        AWSCredentials? credentials,
        ILoggerFactory? loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(options);
        var clientOptions = new CloudWatchClientOptions
        {
            Region = region,
            ServiceUrl = serviceUrl,
            Credentials = credentials,
            TimeProvider = options.TimeProvider,
        };
        return new CloudWatchMetricsPublisher(clientOptions, options, (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<CloudWatchMetricsPublisher>());
    }

    private CloudWatchMetricsPublisher(CloudWatchClient client, CloudWatchMetricsPublisherOptions options, ILogger? logger, bool owned)
        : this(options, logger, client.PutMetricDataAsync)
    {
        _ownedClient = owned ? client : null;
    }

    /// <summary>Starts with <paramref name="put"/> in place of a client's PutMetricData.</summary>
    internal CloudWatchMetricsPublisher(
        CloudWatchMetricsPublisherOptions options,
        ILogger? logger,
        Func<string, IReadOnlyList<MetricDatum>, CancellationToken, Task> put)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options;
        _logger = logger ?? NullLogger.Instance;
        _time = options.TimeProvider;
        _namespace = options.Namespace;
        _uploadInterval = options.UploadInterval;
        _uploadTimeout = options.UploadTimeout < options.UploadInterval ? options.UploadTimeout : options.UploadInterval;
        _flushOnDisposeTimeout = options.FlushOnDisposeTimeout;
        _budget = new SeriesBudget(options.MaxSeries);
        _rollup = new MetricRollup(options.AdditionalDimensions);
        _uploader = new MetricsUploader(put, options.Namespace, options.MaxDataPerRequest, _time, _logger);
        foreach (var definition in options.Metrics)
        {
            if (definition.Level <= options.Level)
            {
                _metrics.Add(definition.Name, new TrackedMetric(definition, options.Granularity, _budget));
            }
        }

        if (_metrics.Count == 0)
        {
            // Level None, or every metric above the level: nothing to listen to, nothing to upload.
            return;
        }

        _listener = CreateListener(options.Meter, options.MeterName);
        _listener.Start();
        _loop = RunAsync();
    }

    /// <summary>The options the publisher was built with; changing them afterwards has no effect.</summary>
    public CloudWatchMetricsPublisherOptions Options { get; }

    /// <summary>Series currently tracked, for diagnostics.</summary>
    internal int SeriesCount => _budget.Live;

    /// <summary>Metric data waiting for their second upload, for diagnostics.</summary>
    internal int WaitingData => _uploader.Waiting;

    /// <summary>
    /// Uploads what has been gathered since the last upload now, instead of at the end of the interval. Upload
    /// failures are logged, not thrown.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The publisher was disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_listener is null)
        {
            return;
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        await _gate.WaitAsync(linked.Token).ConfigureAwait(false);
        try
        {
            await UploadAsync(final: false, _uploadTimeout, linked.Token).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Stops listening and uploads what is left, giving up after
    /// <see cref="CloudWatchMetricsPublisherOptions.FlushOnDisposeTimeout"/>; never throws for an upload failure.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await StopAsync().ConfigureAwait(false);
        }
        finally
        {
            _ownedClient?.Dispose();
        }
    }

    // Options are checked before the client exists, so a bad option leaves nothing to dispose.
    private static CloudWatchClient ClientFor(CloudWatchClientOptions clientOptions, CloudWatchMetricsPublisherOptions options)
    {
        ArgumentNullException.ThrowIfNull(clientOptions);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return new CloudWatchClient(clientOptions);
    }

    private async Task StopAsync()
    {
        if (_listener is null)
        {
            _stopping.Dispose();
            _gate.Dispose();
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        await _loop.ConfigureAwait(false);

        var timeout = _flushOnDisposeTimeout;
        using var deadline = new CancellationTokenSource(timeout, _time);
        try
        {
            await _gate.WaitAsync(deadline.Token).ConfigureAwait(false);
            try
            {
                await UploadAsync(final: true, timeout, deadline.Token).ConfigureAwait(false);
            }
            finally
            {
                _gate.Release();
            }
        }
        catch (OperationCanceledException)
        {
            // What was not sent in time is counted below with what failed.
        }
        catch (Exception ex)
        {
            // Disposal must not throw; an observable instrument's callback failing lands here.
            MetricsLog.UploadCrashed(_logger, ex, _namespace);
        }
        finally
        {
            _listener.Dispose();
            var left = _uploader.DropWaiting();
            if (left > 0)
            {
                MetricsLog.DroppedAtStop(_logger, left, _namespace, timeout);
            }

            _stopping.Dispose();
        }
    }

    private MeterListener CreateListener(Meter? meter, string? meterName)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                var ours = meter is not null ? ReferenceEquals(instrument.Meter, meter) : instrument.Meter.Name == meterName;
                if (ours && _metrics.TryGetValue(instrument.Name, out var metric))
                {
                    listener.EnableMeasurementEvents(instrument, metric);
                }
            },
        };

        listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((TrackedMetric)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((TrackedMetric)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((TrackedMetric)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((TrackedMetric)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((TrackedMetric)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((TrackedMetric)state!).Record(value, tags));
        listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((TrackedMetric)state!).Record((double)value, tags));
        return listener;
    }

    private async Task RunAsync()
    {
        using var timer = new PeriodicTimer(_uploadInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token).ConfigureAwait(false))
            {
                await _gate.WaitAsync(_stopping.Token).ConfigureAwait(false);
                try
                {
                    await UploadAsync(final: false, _uploadTimeout, _stopping.Token).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The uploader logs its own failures; this is a fault of ours, and must not end the uploads.
                    MetricsLog.UploadCrashed(_logger, ex, _namespace);
                }
                finally
                {
                    _gate.Release();
                }
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
    }

    private async Task UploadAsync(bool final, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // Observable instruments are read once per upload, as one sample each.
        _listener!.RecordObservableInstruments();
        if (final)
        {
            _listener.Dispose();
        }

        var timestamp = _time.GetUtcNow();
        var data = new List<MetricDatum>();
        var series = new List<(SeriesKey Key, SampleStatistics Statistics)>();
        foreach (var metric in _metrics.Values)
        {
            series.Clear();
            metric.Harvest(series);
            var outOfRange = _rollup.Append(metric, series, timestamp, data);
            if (outOfRange > 0)
            {
                MetricsLog.SeriesOutOfRange(_logger, outOfRange, metric.Definition.Name);
            }
        }

        var (overLimit, invalid) = _budget.TakeDropped();
        if (overLimit > 0)
        {
            MetricsLog.SeriesLimitReached(_logger, overLimit, _budget.Max);
        }

        if (invalid > 0)
        {
            MetricsLog.InvalidMeasurements(_logger, invalid);
        }

        await _uploader.UploadAsync(data, timeout, cancellationToken).ConfigureAwait(false);
    }
}
