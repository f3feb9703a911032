using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>The KCL's metrics on the <c>Kinesis.Clients.Consumer</c> meter (tags StreamName, ShardId).</summary>
internal sealed class ConsumerMetrics : IDisposable
{
    public const string MeterName = "Kinesis.Clients.Consumer";

    private readonly Meter _meter = new(MeterName);
    private readonly string _stream;
    private readonly Counter<long> _recordsProcessed;
    private readonly Counter<long> _dataBytesProcessed;
    private readonly Histogram<long> _millisBehindLatest;
    private readonly Counter<long> _lostLeases;
    private readonly Counter<long> _takenLeases;
    private readonly Counter<long> _outOfRange;
    private readonly Counter<long> _undecodable;
    private int _renewalsFailing;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<PollingShardReader, byte> _liveReaders = new();
    private long _expiredIteratorsOfFinishedReaders;

    public ConsumerMetrics(string stream, Func<int> currentLeases)
    {
        _stream = stream;
        _recordsProcessed = _meter.CreateCounter<long>("RecordsProcessed", "{record}", "User records handed to record processors.");
        _dataBytesProcessed = _meter.CreateCounter<long>("DataBytesProcessed", "By", "Data bytes handed to record processors.");
        _millisBehindLatest = _meter.CreateHistogram<long>("MillisBehindLatest", "ms", "How far behind the tip of the shard reads are.");
        _meter.CreateObservableGauge(
            "CurrentLeases",
            () => new Measurement<int>(currentLeases(), new KeyValuePair<string, object?>("StreamName", stream)),
            "{lease}",
            "Leases this worker holds.");
        _lostLeases = _meter.CreateCounter<long>("LostLeases", "{lease}", "Leases lost to other workers.");
        _takenLeases = _meter.CreateCounter<long>("TakenLeases", "{lease}", "Leases taken by this worker.");
        _meter.CreateObservableCounter("ExpiredIterator", ExpiredIterators, "{iterator}", "Shard iterators that expired and were renewed.");
        _outOfRange = _meter.CreateCounter<long>("OutOfRangeSubRecords", "{record}", "Sub-records delivered although their hash key is outside the shard's range (the KCL drops them).");
        _undecodable = _meter.CreateCounter<long>("UndecodableRecords", "{record}", "Compressed records whose envelope did not open, delivered as they are.");
        Failures = new Failures.FailureMetrics(_meter, stream);
        _meter.CreateObservableGauge(
            "LeaseRenewalsFailing",
            () => new Measurement<int>(Volatile.Read(ref _renewalsFailing), new KeyValuePair<string, object?>("StreamName", stream)),
            "{lease}",
            "Held leases whose renewals fail now (lease table throttled or failing).");
    }

    public Meter Meter => _meter;

    public Failures.FailureMetrics Failures { get; }

    public static IReadOnlyList<MetricDefinition> Definitions { get; } =
    [
        new("RecordsProcessed", MetricsLevel.Summary, Kinesis.Clients.CloudWatch.MetricUnit.Count),
        new("DataBytesProcessed", MetricsLevel.Summary, Kinesis.Clients.CloudWatch.MetricUnit.Bytes),
        new("MillisBehindLatest", MetricsLevel.Summary, Kinesis.Clients.CloudWatch.MetricUnit.Milliseconds),
        new("CurrentLeases", MetricsLevel.Summary, Kinesis.Clients.CloudWatch.MetricUnit.Count) { MaxGranularity = MetricsGranularity.Global },
        new("LostLeases", MetricsLevel.Summary, Kinesis.Clients.CloudWatch.MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("TakenLeases", MetricsLevel.Summary, Kinesis.Clients.CloudWatch.MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("ExpiredIterator", MetricsLevel.Detailed, Kinesis.Clients.CloudWatch.MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
        new("OutOfRangeSubRecords", MetricsLevel.Detailed, Kinesis.Clients.CloudWatch.MetricUnit.Count),
        new("UndecodableRecords", MetricsLevel.Detailed, Kinesis.Clients.CloudWatch.MetricUnit.Count),
        .. Kinesis.Clients.Consumer.Failures.FailureMetrics.Definitions,
        new("LeaseRenewalsFailing", MetricsLevel.Summary, Kinesis.Clients.CloudWatch.MetricUnit.Count) { MaxGranularity = MetricsGranularity.Stream },
    ];

    public void Processed(string shardId, ShardBatch batch)
    {
        var tags = new TagList { { "StreamName", _stream }, { "ShardId", shardId } };
        _recordsProcessed.Add(batch.Records.Count, tags);
        long bytes = 0;
        foreach (var record in batch.Records)
        {
            bytes += record.Data.Length;
        }

        _dataBytesProcessed.Add(bytes, tags);
        if (batch.OutOfRangeRecords > 0)
        {
            _outOfRange.Add(batch.OutOfRangeRecords, tags);
        }

        if (batch.UndecodableRecords > 0)
        {
            _undecodable.Add(batch.UndecodableRecords, tags);
        }

        Behind(shardId, batch.MillisBehindLatest);
    }

    public void Behind(string shardId, long? millisBehindLatest)
    {
        if (millisBehindLatest is long behind)
        {
            _millisBehindLatest.Record(behind, new TagList { { "StreamName", _stream }, { "ShardId", shardId } });
        }
    }

    /// <summary>Counts a polling reader's expired iterators while it runs and after it ends.</summary>
    public void Track(IShardRecordSource source)
    {
        if (source is PollingShardReader reader)
        {
            _liveReaders.TryAdd(reader, 0);
        }
    }

    public void Untrack(IShardRecordSource source)
    {
        if (source is PollingShardReader reader && _liveReaders.TryRemove(reader, out _))
        {
            Interlocked.Add(ref _expiredIteratorsOfFinishedReaders, reader.ExpiredIterators);
        }
    }

    public void Taken() => _takenLeases.Add(1, new KeyValuePair<string, object?>("StreamName", _stream));

    public void RenewalsFailing(int delta) => Interlocked.Add(ref _renewalsFailing, delta);

    public void Lost() => _lostLeases.Add(1, new KeyValuePair<string, object?>("StreamName", _stream));

    public void Dispose() => _meter.Dispose();

    private Measurement<long> ExpiredIterators()
    {
        var total = Interlocked.Read(ref _expiredIteratorsOfFinishedReaders);
        foreach (var reader in _liveReaders.Keys)
        {
            total += reader.ExpiredIterators;
        }

        return new Measurement<long>(total, new KeyValuePair<string, object?>("StreamName", _stream));
    }
}
