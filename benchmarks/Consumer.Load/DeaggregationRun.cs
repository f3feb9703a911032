using System.Diagnostics;
using System.Globalization;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Benchmarks.Load;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>
/// The consumer's per-record CPU cost on one core: splitting KPL aggregates into user records (with and without
/// the hash-range check, which costs an MD5 of every partition key) and handing the batch to a processor.
/// </summary>
internal static class DeaggregationRun
{
    private const int RecordSize = 100;
    private const int Keys = 10_000;

    // About one full GetRecords page of user records: 10,000 records of 100 B in ~51 KB aggregates.
    private const int UserRecordsPerPage = 10_000;

    public static int Run(LoadArguments arguments)
    {
        var page = BuildPage(out var aggregateBytes);
        var seconds = TimeSpan.FromSeconds(Math.Max(1, arguments.Seconds));
        var destination = new List<ConsumerRecord>(UserRecordsPerPage);

        // Warm up both paths so tiered compilation has settled before measuring.
        Measure(TimeSpan.FromSeconds(1), () => Deaggregate(page, null, destination));
        Measure(TimeSpan.FromSeconds(1), () => Deaggregate(page, HashKeyRange.Full, destination));

        var plain = Measure(seconds, () => Deaggregate(page, null, destination));
        var checkedRange = Measure(seconds, () => Deaggregate(page, HashKeyRange.Full, destination));

        destination.Clear();
        RecordDeaggregation.AppendTo(page, null, null, destination);
        var processor = new NoOpProcessor();
        var checkpointer = new NoOpCheckpointer();
        Measure(TimeSpan.FromSeconds(1), () => Dispatch(processor, checkpointer, destination));
        var dispatch = Measure(seconds, () => Dispatch(processor, checkpointer, destination));

        Report.Print("De-aggregation and dispatch, one core", new (string, string)[]
        {
            ("cores (machine / measured)", $"{PinnedRun.MachineCores} / {Environment.ProcessorCount}"),
            ("page", $"{page.Count} aggregates, {UserRecordsPerPage:N0} user records of {RecordSize} B, {Keys:N0} keys, {aggregateBytes / page.Count:N0} B per aggregate"),
            ("de-aggregate, no range check", Row(plain, UserRecordsPerPage)),
            ("de-aggregate + hash-range check", Row(checkedRange, UserRecordsPerPage)),
            ("hand a batch to a no-op processor", $"{dispatch.WallNanosPerOp:N0} ns per batch of {UserRecordsPerPage:N0} ({dispatch.WallNanosPerOp / UserRecordsPerPage:F3} ns per record), {dispatch.AllocatedPerOp:N0} B per batch"),
        });
        return 0;
    }

    private static string Row(Measurement m, int recordsPerOp) =>
        string.Create(CultureInfo.InvariantCulture, $"{m.OpsPerWallSecond * recordsPerOp / 1e6:F2} M records/s wall, {m.OpsPerCpuSecond * recordsPerOp / 1e6:F2} M per CPU-second, {m.WallNanosPerOp / recordsPerOp:F0} ns and {m.AllocatedPerOp / recordsPerOp:F0} B per record");

    private static void Deaggregate(List<KinesisRecord> page, HashKeyRange? range, List<ConsumerRecord> destination)
    {
        destination.Clear();
        var counts = RecordDeaggregation.AppendTo(page, range, null, destination);
        if (counts.Delivered != UserRecordsPerPage || counts.OutOfRange != 0)
        {
            throw new InvalidOperationException($"De-aggregation delivered {counts.Delivered} records ({counts.OutOfRange} out of range); expected {UserRecordsPerPage}.");
        }
    }

    private static void Dispatch(NoOpProcessor processor, NoOpCheckpointer checkpointer, List<ConsumerRecord> records)
    {
        // What the shard consumer does per batch: wrap the records and await the processor.
        var task = processor.ProcessRecordsAsync(new ProcessRecordsInput("shardId-000000000000", records, 0, checkpointer), CancellationToken.None);
        if (!task.IsCompletedSuccessfully)
        {
            task.AsTask().GetAwaiter().GetResult();
        }
    }

    private static Measurement Measure(TimeSpan duration, Action operation)
    {
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var clock = Stopwatch.StartNew();
        long ops = 0;
        while (clock.Elapsed < duration)
        {
            operation();
            ops++;
        }

        var wall = clock.Elapsed.TotalSeconds;
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
        return new Measurement(ops / wall, ops / Math.Max(cpu, 1e-9), wall * 1e9 / ops, allocated / (double)ops);
    }

    private static List<KinesisRecord> BuildPage(out long aggregateBytes)
    {
        var random = new Random(42);
        var keys = Enumerable.Range(0, Keys).Select(i => $"partition-key-{i:D5}-{random.Next():x8}").ToArray();
        var data = new byte[RecordSize];
        random.NextBytes(data);

        var page = new List<KinesisRecord>();
        using var builder = new AggregateBuilder();
        long bytes = 0;
        var arrival = DateTimeOffset.UtcNow;
        void Flush()
        {
            var body = builder.ToKinesisData();
            bytes += body.Length;
            var sequenceNumber = (49_000_000_000_000_000_000_000_000_000m + page.Count).ToString(CultureInfo.InvariantCulture);
            page.Add(new KinesisRecord(sequenceNumber, arrival, "a", body, null));
            builder.Reset();
        }

        for (var i = 0; i < UserRecordsPerPage; i++)
        {
            if (!builder.TryAdd(keys[i % keys.Length], null, data))
            {
                Flush();
                builder.TryAdd(keys[i % keys.Length], null, data);
            }
        }

        Flush();
        aggregateBytes = bytes;
        return page;
    }

    private readonly record struct Measurement(double OpsPerWallSecond, double OpsPerCpuSecond, double WallNanosPerOp, double AllocatedPerOp);
}
