using Kinesis.Clients.CloudWatch;
using Kinesis.Clients.Metrics;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// How each instrument of the consumer's meter is uploaded: the KCL's metric names, units and levels (checked
/// against amazon-kinesis-client 3.5.1), each with exactly the dimensions its measurement carries, as the KCL's
/// metrics scopes do; no overall or per-stream roll-up.
/// </summary>
internal static class ConsumerMetricDefinitions
{
    // Static initializers run in order: the table comes before what is built from it.
    private static readonly (string Name, MetricsLevel Level, MetricUnit Unit)[] Table =
    [
        // ProcessTask (with ShardId) and ApplicationTracker (MillisBehindLatest alone).
        ("RecordsProcessed", MetricsLevel.Summary, MetricUnit.Count),
        ("DataBytesProcessed", MetricsLevel.Summary, MetricUnit.Bytes),
        ("MillisBehindLatest", MetricsLevel.Summary, MetricUnit.Milliseconds),
        ("RecordProcessor.processRecords.Time", MetricsLevel.Summary, MetricUnit.Milliseconds),
        ("ExpiredIterator", MetricsLevel.Summary, MetricUnit.Count),
        ("KinesisDataFetcher.getRecords.Success", MetricsLevel.Detailed, MetricUnit.Count),
        ("KinesisDataFetcher.getRecords.Time", MetricsLevel.Detailed, MetricUnit.Milliseconds),
        ("KinesisDataFetcher.getShardIterator.Success", MetricsLevel.Detailed, MetricUnit.Count),
        ("KinesisDataFetcher.getShardIterator.Time", MetricsLevel.Detailed, MetricUnit.Milliseconds),

        // The task outcome of ProcessTask, RenewAllLeases, TakeLeases and ShardSyncTask, told apart by Operation.
        ("Success", MetricsLevel.Summary, MetricUnit.Count),
        ("Time", MetricsLevel.Summary, MetricUnit.Milliseconds),

        // Checkpoints (ProcessTask, or ShutdownTask at shard end and lease loss; with ShardId) and new leases
        // (ShardSyncTask, or ShutdownTask for a shard's children).
        ("UpdateLease.Success", MetricsLevel.Detailed, MetricUnit.Count),
        ("UpdateLease.Time", MetricsLevel.Detailed, MetricUnit.Milliseconds),
        ("CreateLease.Success", MetricsLevel.Detailed, MetricUnit.Count),
        ("CreateLease.Time", MetricsLevel.Detailed, MetricUnit.Milliseconds),
        ("CreateLease_TRIM_HORIZON.Success", MetricsLevel.Detailed, MetricUnit.Count),
        ("CreateLease_LATEST.Success", MetricsLevel.Detailed, MetricUnit.Count),
        ("CreateLease_AT_TIMESTAMP.Success", MetricsLevel.Detailed, MetricUnit.Count),
        ("CreateLease_SEQUENCE_NUMBER.Success", MetricsLevel.Detailed, MetricUnit.Count),

        // InitializeTask, ShutdownTask.
        ("RecordProcessor.initialize.Time", MetricsLevel.Summary, MetricUnit.Milliseconds),
        ("RecordProcessor.shutdown.Time", MetricsLevel.Summary, MetricUnit.Milliseconds),

        // RenewAllLeases (with WorkerIdentifier).
        ("CurrentLeases", MetricsLevel.Summary, MetricUnit.Count),
        ("LostLeases", MetricsLevel.Summary, MetricUnit.Count),
        ("RenewLease.Success", MetricsLevel.Detailed, MetricUnit.Count),
        ("RenewLease.Time", MetricsLevel.Detailed, MetricUnit.Milliseconds),

        // TakeLeases (with WorkerIdentifier).
        ("TakenLeases", MetricsLevel.Summary, MetricUnit.Count),
        ("UntakenLeases", MetricsLevel.Summary, MetricUnit.Count),
        ("ExpiredLeases", MetricsLevel.Summary, MetricUnit.Count),
        ("LeaseSpillover", MetricsLevel.Summary, MetricUnit.Count),
        ("NumWorkers", MetricsLevel.Summary, MetricUnit.Count),
        ("VeryOldLeases", MetricsLevel.Summary, MetricUnit.Count),
        ("LeasesToTake", MetricsLevel.Detailed, MetricUnit.Count),
        ("NeededLeases", MetricsLevel.Detailed, MetricUnit.Count),
        ("TotalLeases", MetricsLevel.Detailed, MetricUnit.Count),
        ("ListLeases.Success", MetricsLevel.Detailed, MetricUnit.Count),
        ("ListLeases.Time", MetricsLevel.Detailed, MetricUnit.Milliseconds),
        ("TakeLease.Success", MetricsLevel.Detailed, MetricUnit.Count),
        ("TakeLease.Time", MetricsLevel.Detailed, MetricUnit.Milliseconds),

        // ShardSyncTask.
        ("SyncShards.Success", MetricsLevel.Detailed, MetricUnit.Count),

        // Ours, not the KCL's.
        ("OutOfRangeSubRecords", MetricsLevel.Detailed, MetricUnit.Count),
        ("UndecodableRecords", MetricsLevel.Detailed, MetricUnit.Count),
        ("ProcessingFailures", MetricsLevel.Summary, MetricUnit.Count),
        ("SkippedRecords", MetricsLevel.Summary, MetricUnit.Count),
        ("DeadLetteredRecords", MetricsLevel.Summary, MetricUnit.Count),
        ("StalledShards", MetricsLevel.Summary, MetricUnit.Count),
        ("LeaseRenewalsFailing", MetricsLevel.Summary, MetricUnit.Count),
    ];

    /// <summary>Every metric with every dimension (the KCL's default, <c>ALL</c>).</summary>
    public static IReadOnlyList<MetricDefinition> All { get; } = For(new HashSet<string>(StringComparer.Ordinal) { KinesisConsumerOptions.MetricsDimensionsAll });

    /// <summary>The definitions with only the enabled dimensions; <c>Operation</c> is always on, as in the KCL.</summary>
    public static IReadOnlyList<MetricDefinition> For(IReadOnlySet<string> enabledDimensions)
    {
        var all = enabledDimensions.Contains(KinesisConsumerOptions.MetricsDimensionsAll);
        string[] dimensions =
        [
            ConsumerTags.Operation,
            .. new[] { ConsumerTags.ShardId, ConsumerTags.StreamId, ConsumerTags.WorkerIdentifier }.Where(d => all || enabledDimensions.Contains(d)),
        ];
        return [.. Table.Select(m => new MetricDefinition(m.Name, m.Level, m.Unit) { Dimensions = dimensions, MaxGranularity = MetricsGranularity.Global })];
    }
}
