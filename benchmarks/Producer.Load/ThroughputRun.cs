using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Amazon.Runtime;
using Kinesis.Clients.Benchmarks.Load;

namespace Kinesis.Clients.Producer.Load;

/// <summary>Producer throughput on one core against a sink that accepts everything at once.</summary>
internal static class ThroughputRun
{
    private const int LatencySampleEvery = 1_000;

    public static async Task<int> RunAsync(LoadArguments arguments)
    {
        if (PinnedRun.ShouldRelaunch())
        {
            // Affinity set from inside applies only to the calling thread on Linux; taskset pins every thread.
            return await PinnedRun.RelaunchOnFirstCoreAsync();
        }

        using var sink = arguments.Endpoint is null ? SinkProcess.Start(arguments.Shards, arguments.Stream) : null;
        var endpoint = arguments.Endpoint ?? sink!.Endpoint;

        using var counters = new MetricCounters();
        var options = new KinesisProducerOptions
        {
            // --metrics: the producer's default metrics (detailed, per shard) recorded as for CloudWatch; uploads
            // (every 60 s) go to the sink, which refuses them, so nothing leaves the machine.
            MetricsLevel = arguments.Metrics ? Kinesis.Clients.Metrics.MetricsLevel.Detailed : Kinesis.Clients.Metrics.MetricsLevel.None,
            CloudWatchEndpoint = arguments.Metrics ? endpoint : null,
            KinesisEndpoint = endpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("AKIDLOADTEST", "secret"),
            RecordTtl = TimeSpan.FromMinutes(5),
        };
        var failed = 0L;
        options.OnRecordFailed = _ => Interlocked.Increment(ref failed);

        var keys = Enumerable.Range(0, arguments.Keys).Select(i => $"key-{i:D6}").ToArray();
        var payloads = Enumerable.Range(0, 64).Select(i =>
        {
            var data = new byte[arguments.RecordSize];
            new Random(i).NextBytes(data);
            return data;
        }).ToArray();

        await using var producer = new KinesisProducer(options);
        var warmUp = await JitSettling.WarmUpAsync(
            count => ProduceAsync(producer, arguments.Stream, keys, payloads, count, latencies: null),
            arguments.WarmUpSeconds);
        counters.Reset();
        var jitBefore = System.Runtime.JitInfo.GetCompiledMethodCount();
        var allocatedBefore = GC.GetTotalAllocatedBytes();

        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var pauseBefore = GC.GetTotalPauseDuration();
        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var latencies = new double[arguments.Records / LatencySampleEvery + 1];
        var clock = Stopwatch.StartNew();
        await ProduceAsync(producer, arguments.Stream, keys, payloads, arguments.Records, latencies);
        var elapsed = clock.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;

        var sampled = latencies.Where(l => l > 0).Order().ToArray();
        var rows = new (string, string)[]
        {
            ("records", arguments.Records.ToString("N0", CultureInfo.InvariantCulture)),
            ("record size / keys / shards", $"{arguments.RecordSize} B / {arguments.Keys:N0} / {arguments.Shards}"),
            ("warm-up (records / time / methods jitted in its last round)", $"{warmUp.Records:N0} / {warmUp.Elapsed.TotalSeconds:F1} s / {warmUp.LastRoundMethods}"),
            ("methods jitted while measuring", (System.Runtime.JitInfo.GetCompiledMethodCount() - jitBefore).ToString(CultureInfo.InvariantCulture)),
            ("elapsed", $"{elapsed.TotalSeconds:F2} s"),
            ("records/s", (arguments.Records / elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)),
            ("MB/s (record data)", $"{arguments.Records * (double)arguments.RecordSize / elapsed.TotalSeconds / 1e6:F1}"),
            ("producer CPU s per million records", $"{cpu.TotalSeconds / (arguments.Records / 1e6):F3}"),
            ("producer CPU use (of one core)", $"{cpu.TotalSeconds / elapsed.TotalSeconds:P0}"),
            ("user records per Kinesis record", $"{counters.UserRecordsPut / Math.Max(1.0, counters.KinesisRecordsPut):F1}"),
            ("PutRecords calls", counters.Requests.ToString("N0", CultureInfo.InvariantCulture)),
            ("mean PutRecords time / mean buffering time", $"{counters.MeanRequestMs:F1} ms / {counters.MeanBufferingMs:F1} ms"),
            ("put->ack p50 / p99", $"{Percentile(sampled, 0.50):F1} ms / {Percentile(sampled, 0.99):F1} ms"),
            ("GC pauses (gen0/gen1/gen2 collections)", $"{(GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds:F2} s ({GC.CollectionCount(0) - gen0}/{GC.CollectionCount(1) - gen1}/{GC.CollectionCount(2) - gen2})"),
            ("allocated per record", $"{(GC.GetTotalAllocatedBytes() - allocatedBefore) / (double)arguments.Records:F0} B"),
            ("peak working set", $"{Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB"),
            ("failed records", Interlocked.Read(ref failed).ToString(CultureInfo.InvariantCulture)),
        };
        Report.Print("Producer throughput (one core, sink answers at once)", rows);
        return Interlocked.Read(ref failed) == 0 ? 0 : 1;
    }

    private static async Task ProduceAsync(KinesisProducer producer, string stream, string[] keys, byte[][] payloads, int count, double[]? latencies)
    {
        for (var i = 0; i < count; i++)
        {
            var key = keys[i % keys.Length];
            var data = payloads[i & 63];
            if (latencies is not null && i % LatencySampleEvery == 0)
            {
                var slot = i / LatencySampleEvery;
                var started = Stopwatch.GetTimestamp();
                _ = producer.PutAsync(stream, key, data).ContinueWith(
                    _ => latencies[slot] = Stopwatch.GetElapsedTime(started).TotalMilliseconds,
                    TaskScheduler.Default);
                continue;
            }

            var accepted = producer.EnqueueAsync(stream, key, data);
            if (!accepted.IsCompletedSuccessfully)
            {
                await accepted;
            }
        }

        await producer.FlushAsync();
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];
}
