using Amazon.Runtime;
using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Firehose;
using Kinesis.Clients.Metrics;
using Microsoft.Extensions.Logging;
using static Kinesis.Clients.Producer.OptionChecks;

namespace Kinesis.Clients.Producer;

/// <summary>
/// Settings for <see cref="FirehoseProducer"/>: the <see cref="KinesisProducerOptions"/> that apply to Firehose, under
/// the same names and defaults, plus Firehose's own. Validated when the producer is built: a bad value throws
/// <see cref="ArgumentException"/> naming it.
/// </summary>
public sealed class FirehoseProducerOptions
{
    /// <summary>The AWS region. <value>Default: <see langword="null"/>, resolved like the AWS SDKs.</value></summary>
    public string? Region { get; set; }

    /// <summary>
    /// The Firehose endpoint. <value>Default: <see langword="null"/>: <c>AWS_ENDPOINT_URL_FIREHOSE</c>,
    /// <c>AWS_ENDPOINT_URL</c>, then <c>https://firehose.{region}.amazonaws.com</c>.</value>
    /// </summary>
    public Uri? FirehoseEndpoint { get; set; }

    /// <summary>The credentials to sign with. <value>Default: <see langword="null"/>, AWSSDK.Core's default chain.</value></summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>How long a record may wait for others to share its request. <value>Default: 100 ms.</value></summary>
    public TimeSpan RecordMaxBufferedTime { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How long a record may take, retries included, before it fails with <c>Expired</c>. <value>Default: 30 seconds.</value></summary>
    public TimeSpan RecordTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Joins consecutive records of a delivery stream into one Firehose record of up to this many bytes, as the
    /// Amazon Kinesis Agent's <c>aggregatedRecordSizeBytes</c> does (Firehose bills per 5 KiB record). Records go in
    /// whole and in order; a record not ending in <c>\n</c> is followed by one when another record is joined after it
    /// (lines that keep their newline, as the agent's do, are joined byte for byte); a record larger than the size
    /// travels alone. 0 turns joining off. <value>Default: 0; at most 1,024,000 (1,000 KiB, Firehose's record limit).</value>
    /// </summary>
    public int AggregatedRecordSizeBytes { get; set; }

    /// <summary>
    /// <see cref="AggregatedRecordSizeBytes"/> for particular delivery streams (by name), where it differs from the
    /// producer-wide value. <value>Default: empty.</value>
    /// </summary>
    public IDictionary<string, int> AggregatedRecordSizeBytesByDeliveryStream { get; } = new Dictionary<string, int>(StringComparer.Ordinal);

    /// <summary>The most Firehose records in one PutRecordBatch request. <value>Default: 500; 1 to 500.</value></summary>
    public int CollectionMaxCount { get; set; } = FirehoseLimits.MaxRecordsPerBatch;

    /// <summary>The most data bytes in one PutRecordBatch request. <value>Default: 4 MiB; 1,024,000 to 4 MiB.</value></summary>
    public int CollectionMaxSize { get; set; } = FirehoseLimits.MaxBatchBytes;

    /// <summary>PutRecordBatch requests in flight at once per delivery stream. <value>Default: 8; 1 to 256.</value></summary>
    public int MaxConcurrentRequests { get; set; } = 8;

    /// <summary>How long one call may take. <value>Default: 30 seconds.</value></summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Connections kept to the endpoint at most. <value>Default: 24; 1 to 256.</value></summary>
    public int MaxConnections { get; set; } = 24;

    /// <summary>Whether a record the service throttled fails at once instead of being retried. <value>Default: <see langword="false"/>.</value></summary>
    public bool FailIfThrottled { get; set; }

    /// <summary>The first retry's delay; later ones grow exponentially, jittered. <value>Default: 100 ms.</value></summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest retry delay. <value>Default: 5 seconds.</value></summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Bytes of records buffered or in flight at most; callers wait beyond it. <value>Default: 64 MiB.</value></summary>
    public long MaxBufferedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Records buffered or in flight at most; callers wait beyond it. <value>Default: 250,000.</value></summary>
    public int MaxBufferedRecords { get; set; } = 250_000;

    /// <summary>Whether a full buffer refuses with <see cref="ProducerBufferFullException"/> instead of making callers wait. <value>Default: <see langword="false"/>.</value></summary>
    public bool FailWhenBufferFull { get; set; }

    /// <summary>How long disposing waits for buffered records. <value>Default: 30 seconds.</value></summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Hears every record that fails for good, except those put with an <see cref="IPutObserver"/>. Its
    /// <see cref="RecordFailure.StreamName"/> is the delivery stream; <see cref="RecordFailure.PartitionKey"/> is empty.
    /// Runs on the producer's callback task, in order. <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public Action<RecordFailure>? OnRecordFailed { get; set; }

    /// <summary>
    /// Called after every PutRecordBatch request, retries included, with what it carried and how it ended, counted in
    /// user records (the agent's <c>RecordSendAttempts</c>, <c>ServiceErrors</c>, ...). Runs on the sending path: keep
    /// it short; an exception it throws is logged and ignored. <value>Default: none.</value>
    /// </summary>
    public Action<PutRecordsRequestOutcome>? OnPutRecordBatchRequest { get; set; }

    /// <summary>Which metrics are uploaded to CloudWatch. <value>Default: <see cref="MetricsLevel.Detailed"/>.</value></summary>
    public MetricsLevel MetricsLevel { get; set; } = MetricsLevel.Detailed;

    /// <summary>The finest dimension uploaded (the delivery stream is the StreamName dimension). <value>Default: <see cref="MetricsGranularity.Stream"/>.</value></summary>
    public MetricsGranularity MetricsGranularity { get; set; } = MetricsGranularity.Stream;

    /// <summary>The CloudWatch namespace. <value>Default: <c>KinesisProducerLibrary</c>.</value></summary>
    public string MetricsNamespace { get; set; } = CloudWatchMetricsPublisherOptions.DefaultNamespace;

    /// <summary>How often metrics are uploaded. <value>Default: 60 seconds.</value></summary>
    public TimeSpan MetricsUploadDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>The CloudWatch endpoint for the metrics. <value>Default: <see langword="null"/>, resolved like the AWS SDKs.</value></summary>
    public Uri? CloudWatchEndpoint { get; set; }

    /// <summary>Where the producer logs. <value>Default: <see langword="null"/>, nothing logged.</value></summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>The clock for buffering, TTL and backoff. <value>Default: <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>A handler to send the Firehose requests through (the producer does not dispose it). <value>Default: <see langword="null"/>.</value></summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>The joining size of one delivery stream.</summary>
    internal int AggregatedRecordSizeBytesOf(string deliveryStreamName) =>
        AggregatedRecordSizeBytesByDeliveryStream.TryGetValue(deliveryStreamName, out var size) ? size : AggregatedRecordSizeBytes;

    internal void Validate()
    {
        Positive(RecordMaxBufferedTime, nameof(RecordMaxBufferedTime));
        Positive(RecordTtl, nameof(RecordTtl));
        Positive(RequestTimeout, nameof(RequestTimeout));
        Positive(RetryBaseDelay, nameof(RetryBaseDelay));
        Positive(ShutdownTimeout, nameof(ShutdownTimeout));
        RetryDelays(RetryBaseDelay, RetryMaxDelay, nameof(RetryMaxDelay));

        Range(AggregatedRecordSizeBytes, 0, FirehoseLimits.MaxRecordBytes, nameof(AggregatedRecordSizeBytes));
        foreach (var (name, size) in AggregatedRecordSizeBytesByDeliveryStream)
        {
            FirehoseLimits.ValidateDeliveryStreamName(name, nameof(AggregatedRecordSizeBytesByDeliveryStream));
            Range(size, 0, FirehoseLimits.MaxRecordBytes, nameof(AggregatedRecordSizeBytesByDeliveryStream));
        }

        Range(CollectionMaxCount, 1, FirehoseLimits.MaxRecordsPerBatch, nameof(CollectionMaxCount));
        Range(CollectionMaxSize, FirehoseLimits.MaxRecordBytes, FirehoseLimits.MaxBatchBytes, nameof(CollectionMaxSize));
        Range(MaxConcurrentRequests, 1, 256, nameof(MaxConcurrentRequests));
        Range(MaxConnections, 1, 256, nameof(MaxConnections));
        Range(MaxBufferedRecords, 1, int.MaxValue, nameof(MaxBufferedRecords));
        BufferHoldsLargestRecord(
            MaxBufferedBytes, FirehoseLimits.MaxRecordBytes, FirehoseLimits.MaxRecordBytes.ToString(System.Globalization.CultureInfo.InvariantCulture), nameof(MaxBufferedBytes));
        TtlAfterLinger(RecordTtl, RecordMaxBufferedTime, nameof(RecordTtl));
        Defined(MetricsLevel, nameof(MetricsLevel));
        Defined(MetricsGranularity, nameof(MetricsGranularity));
        TimeRange(MetricsUploadDelay, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1), nameof(MetricsUploadDelay));
        CloudWatchNamespace(MetricsNamespace, nameof(MetricsNamespace));

        ArgumentNullException.ThrowIfNull(TimeProvider, nameof(TimeProvider));
    }
}
