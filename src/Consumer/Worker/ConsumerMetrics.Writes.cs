using System.Diagnostics.Metrics;
using Kinesis.Clients.Consumer.Positions;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>The KCL's lease writes outside the renewer and taker: checkpoints (<c>UpdateLease</c>) and new leases (<c>CreateLease</c>).</summary>
internal sealed partial class ConsumerMetrics
{
    private readonly WriteInstruments _writes;

    /// <summary>A checkpoint write of a held lease: whether it reached the table (written or refused) and how long it took.</summary>
    public void LeaseUpdated(string operation, StreamIdentifier stream, string shardId, bool success, TimeSpan elapsed)
    {
        // The KCL's renewer adds StreamId and the plain ShardId for a multi-stream lease (DynamoDBLeaseRenewer.updateLease).
        var tags = ConsumerTags.Shard(operation, stream, shardId);
        _writes.UpdateSuccess.Record(success ? 1 : 0, tags);
        _writes.UpdateTime.Record(elapsed.TotalMilliseconds, tags);
    }

    /// <summary>
    /// A new lease written (or found there already), by the shard sync or for a finished shard's children; the KCL
    /// counts each under its starting position too.
    /// </summary>
    public void LeaseCreated(string operation, StreamIdentifier stream, ExtendedSequenceNumber checkpoint, bool success, TimeSpan elapsed)
    {
        var tags = ConsumerTags.Only(operation, stream.StreamName);
        _writes.CreateSuccess.Record(success ? 1 : 0, tags);
        _writes.CreateTime.Record(elapsed.TotalMilliseconds, tags);
        if (_writes.CreatedAt.TryGetValue(checkpoint.IsSentinel ? checkpoint.SequenceNumber : "SEQUENCE_NUMBER", out var counted))
        {
            // Always 1, as the KCL adds it whatever the write's outcome.
            counted.Record(1, tags);
        }
    }

    private sealed class WriteInstruments
    {
        private static readonly string[] Positions = ["TRIM_HORIZON", "LATEST", "AT_TIMESTAMP", "SEQUENCE_NUMBER"];

        public WriteInstruments(Meter meter)
        {
            UpdateSuccess = meter.CreateHistogram<int>("UpdateLease.Success", "{success}", "1 per checkpoint write that reached the lease table, 0 per failed one.");
            UpdateTime = meter.CreateHistogram<double>("UpdateLease.Time", "ms", "Time of one checkpoint write.");
            CreateSuccess = meter.CreateHistogram<int>("CreateLease.Success", "{success}", "1 per new lease written (or already there), 0 per failed write.");
            CreateTime = meter.CreateHistogram<double>("CreateLease.Time", "ms", "Time of one new lease write.");
            CreatedAt = Positions.ToDictionary(
                at => at,
                at => meter.CreateHistogram<int>($"CreateLease_{at}.Success", "{lease}", $"New leases starting at {at}."),
                StringComparer.Ordinal);
        }

        public Histogram<int> UpdateSuccess { get; }

        public Histogram<double> UpdateTime { get; }

        public Histogram<int> CreateSuccess { get; }

        public Histogram<double> CreateTime { get; }

        public Dictionary<string, Histogram<int>> CreatedAt { get; }
    }
}
