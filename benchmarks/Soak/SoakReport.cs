using System.Globalization;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Soak;

/// <summary>The table at the end of a run: conditions, faults, records, duplicates, order, latency, memory.</summary>
internal static class SoakReport
{
    public static void Print(
        SoakConditions conditions,
        LimitsProxyStats proxy,
        ProxyFaultSchedule schedule,
        DynamoDbSide dynamoDb,
        SoakEvents events,
        Written written,
        DeliveryLedger ledger,
        Verdict verdict,
        PeakMemory memory,
        bool drained,
        int revived,
        int agentExit,
        RotatingLog log)
    {
        var a = conditions.Arguments;
        var rows = new List<(string, string)>
        {
            ("started (UTC) / load average at the end", $"{conditions.Started:yyyy-MM-dd HH:mm} / {SoakConditions.LoadAverage()} on {Environment.ProcessorCount} cores"),
            ("writing / drain limit", $"{a.Minutes} min / {conditions.Drain.TotalMinutes:F0} min"),
            ("set-up", $"{a.Shards} shards, producer {a.ProducerRate} records/s over {a.Keys} keys, agent {a.AgentRate} lines/s, {a.Workers} workers, failover {WorkerRole.FailoverTime.TotalSeconds:F0} s"),
            ("-- faults", ""),
        };
        foreach (var (kind, count) in schedule.Counts)
        {
            rows.Add(($"  {kind}", $"{count:N0} (in {schedule.Windows.Count(w => w.Kind == kind)} stretches of {conditions.FaultPhase.TotalSeconds:F0} s)"));
        }

        rows.Add(("  throttled by the shard limits: PutRecords entries / GetRecords calls", $"{proxy.ThrottledPutRecordsEntries:N0} / {proxy.ThrottledGetRecordsRequests:N0}"));
        rows.Add(("  worker SIGKILLs / restarts / unexpected exits", $"{events.Kills} / {revived + events.Kills} / {events.UnexpectedExits}"));
        rows.Add(("  reshards (split, merge)", $"{events.Reshards}"));
        rows.Add(("  log rotations: rename / copytruncate", $"{log.RenameRotations} / {log.CopyTruncateRotations}"));
        rows.Add(("  DynamoDB", dynamoDb.Counts.Count == 0 ? dynamoDb.Description : string.Join(", ", dynamoDb.Counts.Select(c => $"{c.Key} {c.Value:N0}"))));
        rows.Add(("  requests through the proxy", $"{proxy.Requests:N0}"));
        rows.Add(("-- records", ""));
        rows.Add(("  producer: acknowledged / failed for good (reported to the caller)", $"{written.ProducerAcknowledged:N0} / {written.ProducerFailed:N0} (of the failed, delivered anyway: {verdict.FailedButDelivered:N0}){(written.FailureReasons.Length > 0 ? "; " + written.FailureReasons : "")}"));
        rows.Add(("  agent: lines written", $"{written.AgentLines:N0}"));
        rows.Add(("  delivered (distinct records) / deliveries", $"{verdict.DeliveredDistinct:N0} / {ledger.Deliveries:N0}"));
        rows.Add(("  MISSING: producer / agent", $"{verdict.ProducerMissing:N0} / {verdict.AgentMissing:N0}{(drained ? "" : " (drain limit reached)")}"));
        rows.Add(("  duplicate deliveries", $"{ledger.Deliveries - verdict.DeliveredDistinct:N0}"));
        rows.Add(("    redelivered: after a worker kill / a lease loss / a failed batch (retried) / unexplained", $"{verdict.RedeliveredAfterKill:N0} / {verdict.RedeliveredAfterLeaseLoss:N0} / {verdict.RedeliveredAfterFailedBatch:N0} / {verdict.RedeliveredUnexplained:N0}"));
        rows.Add(("      of the unexplained: by a processor of a shard that had already ended", $"{verdict.RedeliveredAfterShardEnd:N0}"));
        rows.Add(("    stored twice: written in a fault window / unexplained", $"{verdict.CopiesInFaultWindow:N0} / {verdict.CopiesUnexplained:N0} (on another shard: {ledger.StreamCopies.Count(c => c.OtherShard):N0})"));
        rows.Add(("  records not written by this soak", $"{ledger.UnknownRecords:N0}"));
        rows.Add(("-- order", ""));
        rows.Add(("  per processor (shard order) breaks", $"{ledger.ProcessorOrderBreaks.Count:N0}"));
        rows.Add(("  child shard before its parent finished", $"{verdict.ChildBeforeParent.Count:N0}"));
        rows.Add(("  per key (producer) / per file (agent): BROKEN / written before a reshard, stored after newer (documented)", $"{verdict.KeyOrderBroken:N0} / {verdict.KeyOrderRerouted:N0}"));
        rows.Add(("-- end-to-end latency (written -> first delivered)", ""));
        rows.Add(("  producer records p50 / p99 / max", Latency(ledger.ProducerKeys.Values)));
        rows.Add(("  agent lines p50 / p99 / max", Latency([ledger.AgentLines])));
        rows.Add(("-- peak memory (VmHWM)", ""));
        foreach (var (role, kib, process) in memory.Peaks)
        {
            rows.Add(($"  {role}", $"{kib / 1024.0:F0} MiB ({process})"));
        }

        rows.Add(("agent exit code on SIGTERM", agentExit.ToString(CultureInfo.InvariantCulture)));
        rows.Add(("RESULT", verdict.Passed && drained ? "PASS: nothing missing, order kept where promised" : "FAIL"));
        Kinesis.Clients.Benchmarks.Load.Report.Print("Soak", rows);
        foreach (var line in verdict.Examples.Concat(verdict.ChildBeforeParent).Concat(ledger.ProcessorOrderBreaks.Take(10)))
        {
            Console.WriteLine("  " + line);
        }
    }

    private static string Latency(IEnumerable<RecordTable> tables)
    {
        var all = tables.SelectMany(t => Enumerable.Range(0, t.Length).Where(t.Delivered).Select(i => t.LatencyMs[i])).Order().ToList();
        if (all.Count == 0)
        {
            return "-";
        }

        string At(double q) => $"{all[(int)Math.Min(all.Count - 1, Math.Floor(q * all.Count))] / 1000.0:F2} s";
        return $"{At(0.5)} / {At(0.99)} / {all[^1] / 1000.0:F2} s";
    }
}
