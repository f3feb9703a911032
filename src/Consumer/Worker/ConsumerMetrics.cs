using System.Diagnostics.Metrics;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// The KCL's metrics on the <c>Kinesis.Clients.Consumer</c> meter: one instrument per KCL metric name, tagged with the
/// KCL's dimensions (<c>Operation</c>, <c>ShardId</c>, <c>WorkerIdentifier</c>) and <c>StreamName</c>. Each
/// <c>Add</c>/<c>Record</c> is one of the KCL's <c>addData</c> calls, so the uploaded sample counts match too.
/// </summary>
internal sealed partial class ConsumerMetrics : IDisposable
{
    public const string MeterName = "Kinesis.Clients.Consumer";

    private readonly Meter _meter = new(MeterName);
    private readonly string _stream;
    private readonly string _workerId;
    private readonly Counter<long> _recordsProcessed;
    private readonly Counter<long> _dataBytesProcessed;
    private readonly Histogram<long> _millisBehindLatest;
    private readonly Histogram<int> _success;
    private readonly Histogram<double> _time;
    private readonly Histogram<double> _processRecordsTime;
    private readonly Histogram<double> _initializeTime;
    private readonly Histogram<double> _shutdownTime;
    private readonly Counter<long> _expiredIterator;
    private readonly Histogram<int> _getRecordsSuccess;
    private readonly Histogram<double> _getRecordsTime;
    private readonly Histogram<int> _getIteratorSuccess;
    private readonly Histogram<double> _getIteratorTime;
    private readonly Histogram<int> _syncShardsSuccess;
    private readonly Counter<long> _outOfRange;
    private readonly Counter<long> _undecodable;
    private int _renewalsFailing;

    public ConsumerMetrics(string stream, string workerId)
    {
        _stream = stream;
        _workerId = workerId;
        _recordsProcessed = _meter.CreateCounter<long>("RecordsProcessed", "{record}", "User records handed to record processors.");
        _dataBytesProcessed = _meter.CreateCounter<long>("DataBytesProcessed", "By", "Data bytes handed to record processors, one sample per record.");
        _millisBehindLatest = _meter.CreateHistogram<long>("MillisBehindLatest", "ms", "How far behind the tip of the shard reads are.");
        _success = _meter.CreateHistogram<int>("Success", "{success}", "1 when the operation (Operation tag) succeeded, 0 when it failed.");
        _time = _meter.CreateHistogram<double>("Time", "ms", "How long the operation (Operation tag) took.");
        _processRecordsTime = _meter.CreateHistogram<double>("RecordProcessor.processRecords.Time", "ms", "Time in the processor's ProcessRecordsAsync.");
        _initializeTime = _meter.CreateHistogram<double>("RecordProcessor.initialize.Time", "ms", "Time in the processor's InitializeAsync.");
        _shutdownTime = _meter.CreateHistogram<double>("RecordProcessor.shutdown.Time", "ms", "Time in the processor's LeaseLostAsync, ShardEndedAsync or ShutdownRequestedAsync.");
        _expiredIterator = _meter.CreateCounter<long>("ExpiredIterator", "{iterator}", "Shard iterators that expired and were renewed.");
        _getRecordsSuccess = _meter.CreateHistogram<int>("KinesisDataFetcher.getRecords.Success", "{success}", "1 per GetRecords call answered, 0 per call failed.");
        _getRecordsTime = _meter.CreateHistogram<double>("KinesisDataFetcher.getRecords.Time", "ms", "GetRecords call time.");
        _getIteratorSuccess = _meter.CreateHistogram<int>("KinesisDataFetcher.getShardIterator.Success", "{success}", "1 per GetShardIterator call answered, 0 per call failed.");
        _getIteratorTime = _meter.CreateHistogram<double>("KinesisDataFetcher.getShardIterator.Time", "ms", "GetShardIterator call time.");
        _syncShardsSuccess = _meter.CreateHistogram<int>("SyncShards.Success", "{success}", "1 per shard sync that listed the shards and wrote the new leases, 0 per failed one.");
        _outOfRange = _meter.CreateCounter<long>("OutOfRangeSubRecords", "{record}", "Sub-records delivered although their hash key is outside the shard's range (the KCL drops them).");
        _undecodable = _meter.CreateCounter<long>("UndecodableRecords", "{record}", "Compressed or encrypted records that did not open, delivered as they are.");
        Failures = new Failures.FailureMetrics(_meter, stream, workerId);
        _meter.CreateObservableGauge(
            "LeaseRenewalsFailing",
            () => new Measurement<int>(Volatile.Read(ref _renewalsFailing), ConsumerTags.Worker(ConsumerTags.RenewAllLeases, stream, workerId)),
            "{lease}",
            "Held leases whose renewals fail now (lease table throttled or failing).");
        (_currentLeases, _lostLeases, _renewLeaseSuccess, _renewLeaseTime) = CreateRenewalInstruments();
        _take = CreateTakeInstruments();
        _writes = new WriteInstruments(_meter);
    }

    public Meter Meter => _meter;

    public Failures.FailureMetrics Failures { get; }

    /// <summary>Every metric with every dimension, as uploaded by default.</summary>
    public static IReadOnlyList<MetricDefinition> Definitions => ConsumerMetricDefinitions.All;

    /// <summary>The KCL's ProcessTask for one batch, empty or not: counts, lag, and how it ended.</summary>
    public void Processed(StreamIdentifier stream, string shardId, ShardBatch batch, bool success, TimeSpan elapsed)
    {
        var tags = ConsumerTags.Shard(ConsumerTags.ProcessTask, stream, shardId);

        // The KCL adds 0 first and then the batch, and every record's size on its own: the same samples here.
        _recordsProcessed.Add(0, tags);
        _dataBytesProcessed.Add(0, tags);
        if (batch.Records.Count > 0)
        {
            _recordsProcessed.Add(batch.Records.Count, tags);
            if (_dataBytesProcessed.Enabled)
            {
                foreach (var record in batch.Records)
                {
                    _dataBytesProcessed.Add(record.Data.Length, tags);
                }
            }
        }

        if (batch.OutOfRangeRecords > 0)
        {
            _outOfRange.Add(batch.OutOfRangeRecords, tags);
        }

        if (batch.UndecodableRecords > 0)
        {
            _undecodable.Add(batch.UndecodableRecords, tags);
        }

        if (batch.MillisBehindLatest is long behind)
        {
            _millisBehindLatest.Record(behind, tags);
            // The KCL's application-level scope: no ShardId and no StreamId, one series for every shard and stream.
            _millisBehindLatest.Record(behind, ConsumerTags.Only(ConsumerTags.ApplicationTracker, stream.StreamName));
        }

        Outcome(tags, success, elapsed);
    }

    /// <summary>One call of the processor's ProcessRecordsAsync.</summary>
    public void ProcessRecordsCalled(StreamIdentifier stream, string shardId, TimeSpan elapsed) =>
        _processRecordsTime.Record(elapsed.TotalMilliseconds, ConsumerTags.Shard(ConsumerTags.ProcessTask, stream, shardId));

    /// <summary>The processor's InitializeAsync (the KCL's InitializeTask has no ShardId nor StreamId).</summary>
    public void Initialized(StreamIdentifier stream, TimeSpan elapsed) =>
        _initializeTime.Record(elapsed.TotalMilliseconds, ConsumerTags.Only(ConsumerTags.InitializeTask, stream.StreamName));

    /// <summary>The processor's last call (the KCL's ShutdownTask has no ShardId nor StreamId).</summary>
    public void ShutDown(StreamIdentifier stream, TimeSpan elapsed) =>
        _shutdownTime.Record(elapsed.TotalMilliseconds, ConsumerTags.Only(ConsumerTags.ShutdownTask, stream.StreamName));

    /// <summary>One shard sync (the KCL's ShardSyncTask: SyncShards.Success, and Success/Time from its task decorator).</summary>
    public void ShardsSynced(StreamIdentifier stream, bool success, TimeSpan elapsed)
    {
        var tags = ConsumerTags.Only(ConsumerTags.ShardSyncTask, stream.StreamName);
        _syncShardsSuccess.Record(success ? 1 : 0, tags);
        Outcome(tags, success, elapsed);
    }

    /// <summary>Lets a polling reader report its calls under the shard's ProcessTask.</summary>
    public void Track(IShardRecordSource source, StreamIdentifier stream, string shardId)
    {
        if (source is PollingShardReader reader)
        {
            reader.Metrics = new ShardReadMetrics(this, stream, shardId);
        }
    }

    public void RenewalsFailing(int delta) => Interlocked.Add(ref _renewalsFailing, delta);

    public void Dispose() => _meter.Dispose();

    private void Outcome(in System.Diagnostics.TagList tags, bool success, TimeSpan elapsed)
    {
        _success.Record(success ? 1 : 0, tags);
        _time.Record(elapsed.TotalMilliseconds, tags);
    }

    private sealed class ShardReadMetrics(ConsumerMetrics metrics, StreamIdentifier stream, string shardId) : IReadMetrics
    {
        // The KCL's KinesisDataFetcher adds StreamId and ShardId to its scopes.
        private readonly System.Diagnostics.TagList _tags = ConsumerTags.Shard(ConsumerTags.ProcessTask, stream, shardId);

        public void GotIterator(bool success, TimeSpan elapsed)
        {
            metrics._getIteratorSuccess.Record(success ? 1 : 0, _tags);
            metrics._getIteratorTime.Record(elapsed.TotalMilliseconds, _tags);
        }

        public void GotRecords(bool success, TimeSpan elapsed)
        {
            metrics._getRecordsSuccess.Record(success ? 1 : 0, _tags);
            metrics._getRecordsTime.Record(elapsed.TotalMilliseconds, _tags);
        }

        // The KCL's PrefetchRecordsPublisher counts it without the shard (with StreamId in multi-stream mode).
        public void IteratorExpired() => metrics._expiredIterator.Add(1, ConsumerTags.OfStream(ConsumerTags.ProcessTask, stream));
    }
}
