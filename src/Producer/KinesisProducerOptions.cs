using Amazon.Runtime;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Encryption;
using Kinesis.Clients.Metrics;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Producer;

/// <summary>
/// Settings for <see cref="KinesisProducer"/>, with the Kinesis Producer Library's names and defaults where
/// they apply. Validated when the producer is built: a bad value throws <see cref="ArgumentException"/> naming it.
/// </summary>
public sealed partial class KinesisProducerOptions
{
    /// <summary>The AWS region. <value>Default: <see langword="null"/>, resolved like the AWS SDKs.</value></summary>
    public string? Region { get; set; }

    /// <summary>
    /// The Kinesis endpoint. <value>Default: <see langword="null"/>: <c>AWS_ENDPOINT_URL_KINESIS</c>,
    /// <c>AWS_ENDPOINT_URL</c>, then the regional endpoint.</value>
    /// </summary>
    public Uri? KinesisEndpoint { get; set; }

    /// <summary>Credentials. <value>Default: <see langword="null"/>, AWSSDK.Core's default chain.</value></summary>
    public AWSCredentials? Credentials { get; set; }

    /// <summary>The wire encoding. <value>Default: <see cref="WireProtocol.Cbor"/>.</value></summary>
    public WireProtocol Protocol { get; set; } = WireProtocol.Cbor;

    /// <summary>
    /// How long a record may wait in the buffers before it is sent (the KPL's RecordMaxBufferedTime); zero sends
    /// every record at the next turn of the send loop. Longer means fuller aggregates and requests.
    /// <value>Default: 100 ms.</value>
    /// </summary>
    public TimeSpan RecordMaxBufferedTime { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// How long a record may take from <c>PutAsync</c> to acknowledgement before it fails as
    /// <c>Expired</c> (the KPL's RecordTtl); at least 100 ms. <value>Default: 30 s.</value>
    /// </summary>
    public TimeSpan RecordTtl { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Whether to pack user records into KPL-format aggregates. <value>Default: <see langword="true"/>.</value></summary>
    public bool AggregationEnabled { get; set; } = true;

    /// <summary>
    /// Most bytes in one aggregate, measured on the whole encoded Kinesis record (magic, protobuf, MD5).
    /// <value>Default: 51,200 (the KPL's AggregationMaxSize).</value>
    /// </summary>
    public int AggregationMaxSize { get; set; } = 51_200;

    /// <summary>
    /// Compresses each Kinesis record (a whole aggregate, or a record sent alone) into this suite's record envelope,
    /// with an algorithm and level: <see cref="RecordCompression.Zstd"/> or <see cref="RecordCompression.Gzip"/>.
    /// Aggregates are then filled until their compressed size comes to about <see cref="AggregationMaxSize"/>, so each
    /// carries more user records for the same shard throughput. A record that would not shrink goes out as it is.
    /// This suite's consumer and <see cref="Deaggregator"/> (or <see cref="RecordCodec"/>) open the envelope; the Java
    /// KCL and other readers see opaque records.
    /// <value>Default: <see cref="RecordCompression.None"/>.</value>
    /// </summary>
    public RecordCompression Compression { get; set; } = RecordCompression.None;

    /// <summary>
    /// Encrypts each Kinesis record (after compression, if on) with AES-256-GCM under a KMS data key, into this suite's
    /// record envelope: the KMS key, the encryption context (the stream name is always in it) and how long one data key
    /// is used (<see cref="RecordEncryption.MaxDataKeyAge"/>, <see cref="RecordEncryption.MaxRecordsPerDataKey"/>,
    /// <see cref="RecordEncryption.MaxBytesPerDataKey"/>). Needs <c>kms:GenerateDataKey</c> on the key; readers need
    /// <c>kms:Decrypt</c> and this suite's consumer or <see cref="RecordDecryptor"/>. KMS is called only when a data key
    /// is due, never per record; while KMS fails, records wait (and expire at <see cref="RecordTtl"/>), never going out
    /// unencrypted.
    /// <value>Default: <see langword="null"/> (not encrypted).</value>
    /// </summary>
    public RecordEncryption? Encryption { get; set; }

    /// <summary>Most user records in one aggregate (the KPL's AggregationMaxCount). <value>Default: 4,294,967,295 (2^32 − 1), as the KPL.</value></summary>
    public long AggregationMaxCount { get; set; } = uint.MaxValue;

    /// <summary>Most Kinesis records in one PutRecords request. <value>Default: 500 (the API's maximum).</value></summary>
    public int CollectionMaxCount { get; set; } = 500;

    /// <summary>Most bytes (data plus partition keys) in one PutRecords request. <value>Default: 5 MiB (the API's maximum).</value></summary>
    public int CollectionMaxSize { get; set; } = 5 * 1024 * 1024;

    /// <summary>
    /// Per-shard send budget as a percentage of the shard's write limit (1,000 records/s and 1 MiB/s), held
    /// by a token bucket in each producer. Above 100 leaves room for the service's own burst allowance; the
    /// service still throttles what exceeds its limit, and those records are retried. At 100 or below, one producer
    /// writing to a shard is not throttled by it: a record's charge is not refilled until its request is answered,
    /// so requests held up on their way cannot reach the shard together above its rate.
    /// <value>Default: 150 (the KPL's RateLimit).</value>
    /// </summary>
    public int RateLimit { get; set; } = 150;

    /// <summary>How long one PutRecords or ListShards call may take; 100 ms to 10 min. <value>Default: 6 s (the KPL's RequestTimeout).</value></summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>Most PutRecords requests in flight at once, and connections to Kinesis. <value>Default: 24 (the KPL's MaxConnections).</value></summary>
    public int MaxConnections { get; set; } = 24;

    /// <summary>
    /// Largest user record accepted (data plus partition key). <value>Default: 1 MiB (the service's default
    /// record limit); at most 10 MiB for streams configured for larger records.</value>
    /// </summary>
    public int MaxUserRecordSize { get; set; } = 1024 * 1024;

    /// <summary>
    /// Fail records at once when Kinesis throttles them instead of retrying (the KPL's FailIfThrottled).
    /// <value>Default: <see langword="false"/>.</value>
    /// </summary>
    public bool FailIfThrottled { get; set; }

    /// <summary>
    /// Keep the records of each shard in the order they were put, through retries: at most one request in
    /// flight per shard, at most one Kinesis record per shard in a request, failed records resent before newer
    /// ones. Costs per-shard throughput (one round trip per aggregate). <value>Default: <see langword="false"/>.</value>
    /// </summary>
    public bool PreserveShardOrder { get; set; }

    /// <summary>First retry delay after throttling or a transient failure; doubles with jitter per attempt. <value>Default: 100 ms.</value></summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Longest retry delay. <value>Default: 5 s.</value></summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Most bytes (data plus partition keys) buffered and in flight. When reached, <c>PutAsync</c> and
    /// <c>EnqueueAsync</c> wait for room (or fail, see <see cref="FailWhenBufferFull"/>).
    /// <value>Default: 64 MiB.</value>
    /// </summary>
    public long MaxBufferedBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>Most user records buffered and in flight. <value>Default: 250,000.</value></summary>
    public int MaxBufferedRecords { get; set; } = 250_000;

    /// <summary>
    /// When the buffer is full, fail the call at once with <see cref="ProducerBufferFullException"/> instead of
    /// waiting for room. <value>Default: <see langword="false"/> (wait).</value>
    /// </summary>
    public bool FailWhenBufferFull { get; set; }

    /// <summary>
    /// How long <c>DisposeAsync</c> waits for buffered records to be sent; what is left then fails with
    /// <c>ProducerDisposed</c>. <value>Default: 30 s.</value>
    /// </summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often the shard map is refreshed even when nothing suggests it changed. <value>Default: 60 s.</value>
    /// </summary>
    public TimeSpan ShardMapRefreshInterval { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Called once for every record that fails, whichever way it was put, off the producer's own loops
    /// (a slow callback delays other callbacks, never sending). <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public Action<RecordFailure>? OnRecordFailed { get; set; }

    /// <summary>
    /// Called after every PutRecords request (each retry too) with what it carried and how it ended, on the
    /// producer's send path: it must be quick and must not block (add to counters and return). Exceptions are
    /// logged and ignored. <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public Action<PutRecordsRequestOutcome>? OnPutRecordsRequest { get; set; }

    /// <summary>
    /// Which metrics are uploaded to CloudWatch: <see cref="MetricsLevel.None"/>, <see cref="MetricsLevel.Summary"/>
    /// or <see cref="MetricsLevel.Detailed"/> (the KPL's MetricsLevel). The instruments on the
    /// <c>Kinesis.Clients.Producer</c> meter are recorded whatever this says, for OpenTelemetry and other listeners.
    /// <value>Default: <see cref="MetricsLevel.Detailed"/>, as the KPL.</value>
    /// </summary>
    public MetricsLevel MetricsLevel { get; set; } = MetricsLevel.Detailed;

    /// <summary>
    /// The dimensions uploaded: global only, per stream too, or per shard too (the KPL's MetricsGranularity).
    /// <value>Default: <see cref="MetricsGranularity.Shard"/>.</value>
    /// </summary>
    public MetricsGranularity MetricsGranularity { get; set; } = MetricsGranularity.Shard;

    /// <summary>The CloudWatch namespace. <value>Default: <c>KinesisProducerLibrary</c>.</value></summary>
    public string MetricsNamespace { get; set; } = CloudWatchMetricsPublisherOptions.DefaultNamespace;

    /// <summary>How often metrics are uploaded (the KPL's MetricsUploadDelay); 1 s to 60 s. <value>Default: 60 s.</value></summary>
    public TimeSpan MetricsUploadDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// The CloudWatch endpoint. <value>Default: <see langword="null"/>: <c>AWS_ENDPOINT_URL_CLOUDWATCH</c>,
    /// <c>AWS_ENDPOINT_URL</c>, then <c>https://monitoring.{region}.amazonaws.com</c>.</value>
    /// </summary>
    public Uri? CloudWatchEndpoint { get; set; }

    /// <summary>Logging. <value>Default: none.</value></summary>
    public ILoggerFactory? LoggerFactory { get; set; }

    /// <summary>Clock for linger, TTL, rate limits and backoff. <value>Default: <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>
    /// A handler to send requests through instead of the producer's own connection pool.
    /// <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public HttpMessageHandler? HttpHandler { get; set; }

    /// <summary>How long opening a connection (TCP and TLS) may take; 100 ms to 5 min. <value>Default: 6 s (the KPL's ConnectTimeout).</value></summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromSeconds(6);

    /// <summary>
    /// Whether the servers' TLS certificates are checked (the KPL's VerifyCertificate). Turn off only for a test
    /// endpoint with a self-signed certificate. <value>Default: <see langword="true"/>.</value>
    /// </summary>
    public bool VerifyCertificate { get; set; } = true;

    /// <summary>
    /// An HTTP proxy for Kinesis and CloudWatch requests (the KPL's ProxyHost): a host name or address, or a URI
    /// such as <c>http://proxy.example.com:8080</c>. <value>Default: <see langword="null"/> (no proxy).</value>
    /// </summary>
    public string? ProxyHost { get; set; }

    /// <summary>The proxy's port when <see cref="ProxyHost"/> names none; 1 to 65535. <value>Default: 443, as the KPL.</value></summary>
    public int ProxyPort { get; set; } = 443;

    /// <summary>The user name for the proxy. <value>Default: <see langword="null"/>.</value></summary>
    public string? ProxyUserName { get; set; }

    /// <summary>The password for the proxy; never logged. <value>Default: <see langword="null"/>.</value></summary>
    public string? ProxyPassword { get; set; }
}
