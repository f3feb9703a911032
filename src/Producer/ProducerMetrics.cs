using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Metrics;
using Kinesis.Clients.Producer.Pipeline;

namespace Kinesis.Clients.Producer;

/// <summary>
/// The producer's instruments, under the KPL's metric names, on the <c>Kinesis.Clients.Producer</c> meter.
/// Tags are StreamName, ShardId and ErrorCode, never a partition key. Counts are added per Kinesis record or
/// request where the KPL counts per user record, so recording stays cheap at millions of records per second.
/// </summary>
internal sealed class ProducerMetrics : IDisposable
{
    public const string MeterName = "Kinesis.Clients.Producer";

    private readonly Meter _meter;
    private readonly Counter<long> _userRecordsReceived;
    private readonly Counter<long> _userRecordsPut;
    private readonly Counter<long> _userRecordsDataPut;
    private readonly Counter<long> _kinesisRecordsPut;
    private readonly Counter<long> _kinesisRecordsDataPut;
    private readonly Counter<long> _errorsByCode;
    private readonly Counter<long> _allErrors;
    private readonly Counter<long> _userRecordExpired;
    private readonly Counter<long> _userRecordsMisplaced;
    private readonly Histogram<long> _retriesPerRecord;
    private readonly Histogram<double> _bufferingTime;
    private readonly Histogram<double> _requestTime;
    private readonly Histogram<long> _userRecordsPerKinesisRecord;
    private readonly Histogram<long> _kinesisRecordsPerRequest;
    private readonly Histogram<long> _userRecordsPerRequest;

    public ProducerMetrics(Func<long> userRecordsPending, TimeProvider time)
    {
        Time = time;
        _meter = new Meter(MeterName);
        _userRecordsReceived = _meter.CreateCounter<long>("UserRecordsReceived", "{record}", "User records accepted by the producer.");
        _meter.CreateObservableGauge("UserRecordsPending", userRecordsPending, "{record}", "User records buffered or in flight.");
        _userRecordsPut = _meter.CreateCounter<long>("UserRecordsPut", "{record}", "User records acknowledged by Kinesis.");
        _userRecordsDataPut = _meter.CreateCounter<long>("UserRecordsDataPut", "By", "Data bytes of the user records acknowledged.");
        _kinesisRecordsPut = _meter.CreateCounter<long>("KinesisRecordsPut", "{record}", "Kinesis records (aggregates or single records) acknowledged.");
        _kinesisRecordsDataPut = _meter.CreateCounter<long>("KinesisRecordsDataPut", "By", "Bytes of the Kinesis records acknowledged.");
        _errorsByCode = _meter.CreateCounter<long>("ErrorsByCode", "{error}", "Failed attempts by error code.");
        _allErrors = _meter.CreateCounter<long>("AllErrors", "{error}", "Failed attempts of any kind.");
        _userRecordExpired = _meter.CreateCounter<long>("UserRecordExpired", "{record}", "User records that outlived RecordTtl.");
        _userRecordsMisplaced = _meter.CreateCounter<long>("UserRecordsMisplaced", "{record}", "User records re-sent because their aggregate landed on a shard not owning them.");
        _retriesPerRecord = _meter.CreateHistogram<long>("RetriesPerRecord", "{retry}", "Retries a user record needed.");
        _bufferingTime = _meter.CreateHistogram<double>("BufferingTime", "ms", "Time from acceptance to the first send attempt.");
        _requestTime = _meter.CreateHistogram<double>("RequestTime", "ms", "Duration of PutRecords requests.");
        _userRecordsPerKinesisRecord = _meter.CreateHistogram<long>("UserRecordsPerKinesisRecord", "{record}", "User records packed into one Kinesis record.");
        _kinesisRecordsPerRequest = _meter.CreateHistogram<long>("KinesisRecordsPerPutRecordsRequest", "{record}", "Kinesis records in one PutRecords request.");
        _userRecordsPerRequest = _meter.CreateHistogram<long>("UserRecordsPerPutRecordsRequest", "{record}", "User records in one PutRecords request.");
    }

    public TimeProvider Time { get; }

    /// <summary>This producer's own meter, so a CloudWatch publisher per producer never counts another's.</summary>
    public Meter Meter => _meter;

    /// <summary>The KPL's level and granularity for each instrument, for the CloudWatch publisher.</summary>
    public static IReadOnlyList<MetricDefinition> Definitions { get; } =
    [
        new("UserRecordsReceived", MetricsLevel.Detailed, MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("UserRecordsPending", MetricsLevel.Detailed, MetricUnit.Count) { MaxGranularity = MetricsGranularity.Global },
        new("UserRecordsPut", MetricsLevel.Summary, MetricUnit.Count),
        new("UserRecordsDataPut", MetricsLevel.Detailed, MetricUnit.Bytes),
        new("KinesisRecordsPut", MetricsLevel.Summary, MetricUnit.Count),
        new("KinesisRecordsDataPut", MetricsLevel.Detailed, MetricUnit.Bytes),
        new("ErrorsByCode", MetricsLevel.Summary, MetricUnit.Count) { Dimensions = ["ErrorCode"] },
        new("AllErrors", MetricsLevel.Summary, MetricUnit.Count),
        new("RetriesPerRecord", MetricsLevel.Detailed, MetricUnit.Count),
        new("UserRecordExpired", MetricsLevel.Summary, MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("UserRecordsMisplaced", MetricsLevel.Summary, MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("BufferingTime", MetricsLevel.Summary, MetricUnit.Milliseconds),
        new("RequestTime", MetricsLevel.Detailed, MetricUnit.Milliseconds) { MaxGranularity = MetricsGranularity.Stream },
        new("UserRecordsPerKinesisRecord", MetricsLevel.Detailed, MetricUnit.Count),
        new("KinesisRecordsPerPutRecordsRequest", MetricsLevel.Detailed, MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("UserRecordsPerPutRecordsRequest", MetricsLevel.Detailed, MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
    ];

    public void Received(string stream, long count = 1) => _userRecordsReceived.Add(count, new KeyValuePair<string, object?>("StreamName", stream));

    public void Expired(string stream, int count) => _userRecordExpired.Add(count, new KeyValuePair<string, object?>("StreamName", stream));

    public void Misplaced(string stream, int count) => _userRecordsMisplaced.Add(count, new KeyValuePair<string, object?>("StreamName", stream));

    public void RequestSucceeded(string stream, List<KinesisRecordItem> items, TimeSpan duration)
    {
        var tags = new TagList { { "StreamName", stream } };
        _requestTime.Record(duration.TotalMilliseconds, tags);
        _kinesisRecordsPerRequest.Record(items.Count, tags);
        if (_userRecordsPerRequest.Enabled)
        {
            long users = 0;
            foreach (var item in items)
            {
                users += item.UserRecordCount;
            }

            _userRecordsPerRequest.Record(users, tags);
        }
    }

    public void RequestFailed(string stream, string code, int items, TimeSpan duration)
    {
        var tags = new TagList { { "StreamName", stream } };
        _requestTime.Record(duration.TotalMilliseconds, tags);
        _allErrors.Add(items, tags);
        tags.Add("ErrorCode", code);
        _errorsByCode.Add(items, tags);
    }

    public void EntryFailed(string stream, string shardId, string code)
    {
        var tags = new TagList { { "StreamName", stream }, { "ShardId", shardId } };
        _allErrors.Add(1, tags);
        tags.Add("ErrorCode", code);
        _errorsByCode.Add(1, tags);
    }

    public void Stored(string stream, string shardId, KinesisRecordItem item)
    {
        var tags = new TagList { { "StreamName", stream }, { "ShardId", shardId } };
        _kinesisRecordsPut.Add(1, tags);
        _kinesisRecordsDataPut.Add(item.Size, tags);
        _userRecordsPut.Add(item.UserRecordCount, tags);
        _userRecordsDataPut.Add(item.UserDataBytes, tags);
        _userRecordsPerKinesisRecord.Record(item.UserRecordCount, tags);
        if (_retriesPerRecord.Enabled)
        {
            _retriesPerRecord.Record(Math.Max(0, item.Attempts.Count - 1), tags);
        }

        if (_bufferingTime.Enabled && item.Attempts.Count > 0)
        {
            // The first attempt's delay is how long the oldest record waited before being sent.
            _bufferingTime.Record(item.Attempts[0].Delay.TotalMilliseconds, tags);
        }
    }

    /// <summary>A PutRecordBatch (Firehose) request succeeded; its records count where Kinesis records do.</summary>
    public void RequestSucceeded(string stream, int records, long userRecords, TimeSpan duration)
    {
        var tags = new TagList { { "StreamName", stream } };
        _requestTime.Record(duration.TotalMilliseconds, tags);
        _kinesisRecordsPerRequest.Record(records, tags);
        _userRecordsPerRequest.Record(userRecords, tags);
    }

    /// <summary>A PutRecordBatch (Firehose) entry failed; Firehose has no shards, so no ShardId tag.</summary>
    public void EntryFailed(string stream, string code)
    {
        var tags = new TagList { { "StreamName", stream } };
        _allErrors.Add(1, tags);
        tags.Add("ErrorCode", code);
        _errorsByCode.Add(1, tags);
    }

    /// <summary>A Firehose record (one user record, or several joined) was stored.</summary>
    public void StoredRecord(string stream, int userRecords, long userBytes, long bytes, List<Attempt> attempts)
    {
        var tags = new TagList { { "StreamName", stream } };
        _kinesisRecordsPut.Add(1, tags);
        _kinesisRecordsDataPut.Add(bytes, tags);
        _userRecordsPut.Add(userRecords, tags);
        _userRecordsDataPut.Add(userBytes, tags);
        _userRecordsPerKinesisRecord.Record(userRecords, tags);
        _retriesPerRecord.Record(Math.Max(0, attempts.Count - 1), tags);
        if (attempts.Count > 0)
        {
            _bufferingTime.Record(attempts[0].Delay.TotalMilliseconds, tags);
        }
    }

    public void Dispose() => _meter.Dispose();
}
