namespace Kinesis.Clients.Soak;

/// <summary>
/// Checks every record written against what was delivered. Missing: acknowledged by the producer (or written to the
/// log) and never delivered. Order, as promised: (1) inside one processor, positions strictly increase; (2) a child
/// shard delivers nothing before its parents delivered their last record; (3) per producer key, and per agent file
/// (partition key and generation), records are first delivered in the order written, except records the producer
/// re-routed at a reshard (met on two shards; documented in docs/producer.md). Duplicates are split by cause.
/// </summary>
internal sealed class Verdict
{
    private static readonly TimeSpan InFlight = TimeSpan.FromSeconds(60);
    private IReadOnlyList<(FaultWindow Window, IReadOnlyList<string> NewShards)> _reshards = [];

    public long ProducerMissing { get; private set; }

    public long AgentMissing { get; private set; }

    public long FailedButDelivered { get; private set; }

    public long DeliveredDistinct { get; private set; }

    public long RedeliveredAfterKill { get; private set; }

    public long RedeliveredAfterLeaseLoss { get; private set; }

    /// <summary>Delivered again by the same processor, as the consumer retries a batch whose processing threw.</summary>
    public long RedeliveredAfterFailedBatch { get; private set; }

    public long RedeliveredUnexplained { get; private set; }

    /// <summary>Of the unexplained: delivered again by a processor of a shard that had already ended (SHARD_END checkpointed).</summary>
    public long RedeliveredAfterShardEnd { get; private set; }

    public long CopiesInFaultWindow { get; private set; }

    public long CopiesUnexplained { get; private set; }

    public long KeyOrderRerouted { get; private set; }

    public long KeyOrderBroken { get; private set; }

    public List<string> ChildBeforeParent { get; } = [];

    public List<string> Examples { get; } = [];

    public int ProcessorOrderBreaks { get; private set; }

    public bool Passed => ProducerMissing == 0 && AgentMissing == 0 && ProcessorOrderBreaks == 0 && KeyOrderBroken == 0 && ChildBeforeParent.Count == 0;

    public static Verdict Judge(
        DeliveryLedger ledger,
        Written written,
        IReadOnlySet<string> killedWorkers,
        IReadOnlyList<FaultWindow> windows,
        IReadOnlyList<(string Child, string Parent)> lineage,
        IReadOnlyList<(FaultWindow Window, IReadOnlyList<string> NewShards)>? reshards = null)
    {
        var verdict = new Verdict { _reshards = reshards ?? [], ProcessorOrderBreaks = ledger.ProcessorOrderBreaks.Count };
        foreach (var (key, (next, failed)) in written.ProducerKeys)
        {
            var table = ledger.ProducerKeys.GetValueOrDefault(key) ?? new RecordTable();
            for (var seq = 0; seq < next; seq++)
            {
                var delivered = table.Delivered(seq);
                if (failed.Contains(seq))
                {
                    verdict.FailedButDelivered += delivered ? 1 : 0;
                }
                else if (!delivered)
                {
                    verdict.ProducerMissing++;
                    verdict.Example($"missing: producer record {key}:{seq}");
                }
            }

            verdict.CheckKeyOrder(ledger, table, $"producer key {key}", seq => 0);
        }

        for (var seq = 0; seq < written.AgentLines; seq++)
        {
            if (!ledger.AgentLines.Delivered((int)seq))
            {
                verdict.AgentMissing++;
                verdict.Example($"missing: agent line {seq}");
            }
        }

        // Agent lines are in order per file as keyed: group them by (partition key, generation).
        var agent = ledger.AgentLines;
        verdict.CheckKeyOrder(ledger, agent, "agent file", seq => ((long)agent.FirstKey[seq] << 32) | (uint)agent.Generation[seq]);

        verdict.DeliveredDistinct = ledger.ProducerKeys.Values.Append(agent).Sum(t => (long)Enumerable.Range(0, t.Length).Count(t.Delivered));
        verdict.ClassifyDuplicates(ledger, killedWorkers, windows);
        verdict.CheckLineage(ledger, lineage);
        return verdict;
    }

    private void CheckKeyOrder(DeliveryLedger ledger, RecordTable table, string what, Func<int, long> group)
    {
        // A record is late when one written after it (same group) was delivered before it: walk each group from the
        // newest record back, keeping the earliest first delivery seen so far.
        var earliestAfter = new Dictionary<long, long>();
        for (var seq = table.Length - 1; seq >= 0; seq--)
        {
            if (!table.Delivered(seq))
            {
                continue;
            }

            var g = group(seq);
            var mono = table.FirstMono[seq];
            if (earliestAfter.TryGetValue(g, out var after) && after < mono)
            {
                if (ledger.OnSeveralShards(table, seq) || WrittenBeforeReshardIntoItsShard(ledger, table, seq))
                {
                    KeyOrderRerouted++;
                }
                else
                {
                    KeyOrderBroken++;
                    Example($"order: {what}, record {seq} first delivered after a record written after it");
                }
            }

            earliestAfter[g] = earliestAfter.TryGetValue(g, out var known) ? Math.Min(known, mono) : mono;
        }
    }

    // Written before the producer could know of a reshard (it finished, plus the producer's shard map refresh interval,
    // 60 s) and first stored in a shard that reshard created: routed for a parent and sent on to the child, where newer
    // records may already be (docs/producer.md, Order).
    private bool WrittenBeforeReshardIntoItsShard(DeliveryLedger ledger, RecordTable table, int seq) =>
        _reshards.Any(r => table.WrittenUnixMs[seq] <= r.Window.EndUnixMs + 60_000 && r.NewShards.Contains(ledger.ShardNames[table.FirstShard[seq]]));

    private void ClassifyDuplicates(DeliveryLedger ledger, IReadOnlySet<string> killedWorkers, IReadOnlyList<FaultWindow> windows)
    {
        var shardEnds = ledger.Processors.Where(p => p.End == 'E').GroupBy(p => p.Shard).ToDictionary(g => g.Key, g => g.Min(p => p.EndMono));
        foreach (var (first, sequence, sub, again, mono) in ledger.Redeliveries)
        {
            var (a, b) = (ledger.Processors[first], ledger.Processors[again]);
            bool Beyond(ProcessorState p) => p.CheckpointSequence is null || SequenceNumbers.Compare(sequence, sub, p.CheckpointSequence, p.CheckpointSubSequence) > 0;
            if ((killedWorkers.Contains(a.Worker) && a.End is null && Beyond(a)) || (killedWorkers.Contains(b.Worker) && b.End is null && Beyond(b)))
            {
                RedeliveredAfterKill++;
            }
            else if ((a.End == 'L' && Beyond(a)) || (b.End == 'L' && Beyond(b)))
            {
                RedeliveredAfterLeaseLoss++;
            }
            else if (first == again && b.RetriedSequence is { } retried && SequenceNumbers.Compare(sequence, sub, retried, b.RetriedSubSequence) <= 0)
            {
                RedeliveredAfterFailedBatch++;
            }
            else
            {
                RedeliveredUnexplained++;
                if (shardEnds.TryGetValue(b.Shard, out var ended) && ended < mono)
                {
                    RedeliveredAfterShardEnd++;
                    continue;
                }

                Example($"redelivered: {sequence}/{sub} by {a.Name} (end {a.End?.ToString() ?? "-"}, checkpoint {a.CheckpointSequence}/{a.CheckpointSubSequence}) and {b.Name} (end {b.End?.ToString() ?? "-"})");
            }
        }

        foreach (var (source, writtenMs, _) in ledger.StreamCopies)
        {
            if (windows.Any(w => w.Covers(writtenMs, InFlight)))
            {
                CopiesInFaultWindow++;
            }
            else
            {
                CopiesUnexplained++;
                Example($"copy: a {source} record written at {DateTimeOffset.FromUnixTimeMilliseconds(writtenMs):HH:mm:ss.fff} stored twice, outside every fault window");
            }
        }
    }

    private void CheckLineage(DeliveryLedger ledger, IReadOnlyList<(string Child, string Parent)> lineage)
    {
        foreach (var (child, parent) in lineage)
        {
            if (ledger.ShardSpans.TryGetValue(ledger.ShardIndex(child), out var c) && ledger.ShardSpans.TryGetValue(ledger.ShardIndex(parent), out var p) && c.First <= p.Last)
            {
                ChildBeforeParent.Add($"{child} delivered a record {(p.Last - c.First) / 1e6:F0} ms before its parent {parent} delivered its last");
            }
        }
    }

    private void Example(string text)
    {
        if (Examples.Count < 20)
        {
            Examples.Add(text);
        }
    }
}
