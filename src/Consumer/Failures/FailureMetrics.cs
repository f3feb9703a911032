using System.Diagnostics;
using System.Diagnostics.Metrics;
using Kinesis.Clients.Consumer.Worker;

namespace Kinesis.Clients.Consumer.Failures;

/// <summary>
/// Processor failures on the consumer's meter (ours, not the KCL's): failed attempts, records skipped or dead-lettered,
/// stalled shards; under the KCL's <c>ProcessTask</c> operation.
/// </summary>
internal sealed class FailureMetrics
{
    private readonly Counter<long> _failures;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _deadLettered;
    private int _stalled;

    public FailureMetrics(Meter meter, string stream, string workerId)
    {
        _failures = meter.CreateCounter<long>("ProcessingFailures", "{attempt}", "Record processor calls that threw.");
        _skipped = meter.CreateCounter<long>("SkippedRecords", "{record}", "Records handed to OnBatchSkipped after the processor kept failing on them.");
        _deadLettered = meter.CreateCounter<long>("DeadLetteredRecords", "{record}", "Records written to the dead-letter stream after the processor kept failing on them.");
        meter.CreateObservableGauge(
            "StalledShards",
            () => new Measurement<int>(Volatile.Read(ref _stalled), ConsumerTags.Worker(ConsumerTags.ProcessTask, stream, workerId)),
            "{shard}",
            "Shards of this worker that do not advance because the processor keeps failing on the same records.");
    }

    public int Stalled => Volatile.Read(ref _stalled);

    public void Failed(StreamIdentifier stream, string shardId) => _failures.Add(1, Tags(stream, shardId));

    public void Skipped(StreamIdentifier stream, string shardId, int records) => _skipped.Add(records, Tags(stream, shardId));

    public void DeadLettered(StreamIdentifier stream, string shardId, int records) => _deadLettered.Add(records, Tags(stream, shardId));

    public void Stall() => Interlocked.Increment(ref _stalled);

    public void Recover() => Interlocked.Decrement(ref _stalled);

    private static TagList Tags(StreamIdentifier stream, string shardId) => ConsumerTags.Shard(ConsumerTags.ProcessTask, stream, shardId);
}
