using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kinesis.Clients.Agent;
using Kinesis.Clients.Agent.Configuration;
using Kinesis.Clients.Agent.Load;
using Kinesis.Clients.Benchmarks.Load;

// Agent load tool. Modes:
//   throughput [--line-size B] [--lines N] [--shards S] [--endpoint URL] [--warmup-seconds T] [--max-buffered-bytes M]
//              [--max-buffer-age-millis A] [--max-buffer-size-bytes R]   (the flow's maxBufferSizeBytes: bytes per request)
//              [--program PATH] [--destination kinesis|firehose] [--aggregated-record-size-bytes J]
//              Runs the agent on one core (the sink, a child process on the other cores, unless --endpoint is
//              given), warms it up for T seconds (30) on files of the same lines, then moves a file of N lines of
//              B bytes (newline included) into its pattern and times it until Kinesis has acknowledged every
//              line. Prints lines/s, MB/s, CPU, GC and memory. With AGENT_LOAD_TRACE set: buffer and counters every
//              200 ms, the GC's settings, and a 20 s pause at the end to look at the process (dotnet-dump, smaps).
//              With --program: runs that kinesis-agent program (e.g. the published native one) as a child process on
//              the same core instead of the engine in this process, and counts what the sink acknowledged; prints
//              the steady rate (5 % to 95 % of the lines acknowledged), the whole-file rate, the child's CPU and
//              its resident set (idle, peak).
//              With --destination firehose: the flow is a deliveryStream (joining lines into Firehose records of up
//              to J bytes when --aggregated-record-size-bytes is given, as aggregatedRecordSizeBytes), the sink the
//              testing kit's loopback Firehose without quotas, counting the lines in what it accepts.
//   sink       [--shards S] [--stream NAME]   the standalone sink; prints its URL, runs until stdin closes.
//   firehose-sink [--stream NAME]            the same with the loopback Firehose (one delivery stream).
var options = Arguments.Parse(args);
if (options.Mode == "sink")
{
    return await SinkRun.RunAsync(options.Stream, options.Shards, limits: false);
}

if (options.Mode == "firehose-sink")
{
    return await FirehoseSinkRun.RunAsync(options.Stream);
}

if (options.Mode != "throughput")
{
    Console.Error.WriteLine("usage: Kinesis.Clients.Agent.Load throughput|sink|firehose-sink [--line-size B] [--lines N] [--shards S] [--endpoint URL] [--stream NAME] [--destination kinesis|firehose]");
    return 2;
}

if (PinnedRun.ShouldRelaunch())
{
    return await PinnedRun.RelaunchOnFirstCoreAsync();
}

var firehose = options.Destination == DestinationKind.DeliveryStream;
using var sink = options.Endpoint is null ? SinkProcess.Start(options.Shards, options.Stream, firehose ? "firehose-sink" : "sink") : null;
var endpoint = options.Endpoint ?? sink!.Endpoint;
var work = Directory.CreateTempSubdirectory("kinesis-agent-load-").FullName;
try
{
    var logs = Directory.CreateDirectory(Path.Combine(work, "logs")).FullName;
    var configuration = new Dictionary<string, object>
    {
        ["checkpointDatabase"] = Path.Combine(work, "checkpoints.db"),
        [firehose ? "firehose.endpoint" : "kinesis.endpoint"] = endpoint.ToString(),
        ["kinesis.region"] = "us-east-1",
        ["awsAccessKeyId"] = "AKIDLOADTEST",
        ["awsSecretAccessKey"] = "secret",
        ["cloudwatch.emitMetrics"] = false,
        ["maxBufferedBytes"] = options.MaxBufferedBytes,
        ["flows"] = new object[] { Flow(options, logs) },
    };

    // Files are written under another name and renamed into the pattern, so writing them costs the agent nothing.
    var measured = Path.Combine(work, "measured.tmp");
    // Numbered apart from the warm-up files: a new file starting with a tailed file's first bytes is held back
    // for a few seconds as a possible copy, which is not what this measures.
    WriteLines(measured, options.LineSize, options.Lines, firstNumber: 5_000_000_000);
    var warmup = Path.Combine(work, "warmup.tmp");
    var warmupLines = Math.Max(100_000, options.Lines / 10);
    WriteLines(warmup, options.LineSize, warmupLines, firstNumber: 0);

    if (options.Program is not null)
    {
        // The program as it ships, in its own process: what the sink acknowledged is the measure.
        return sink is null
            ? throw new ArgumentException("--program measures through the sink this tool starts; leave out --endpoint")
            : await ProgramRun.RunAsync(new LoadSetup(options, work, logs, configuration, measured, warmup, warmupLines), sink);
    }

    var config = AgentConfigurationLoader.Parse(JsonSerializer.Serialize(configuration), "bench-agent.json");
    using var producerMetrics = new MetricCounters();
    await using var agent = new AgentEngine(config, new AgentEngineOptions { EmitCloudWatchMetrics = false });
    agent.Start();
    var counters = agent.Metrics.ForDestination(options.Destination, options.Stream);
    Func<long> buffered = firehose ? () => agent.FirehoseProducer.BufferedBytes : () => agent.Producer.BufferedBytes;
    Func<long> outstanding = firehose ? () => agent.FirehoseProducer.OutstandingRecords : () => agent.Producer.OutstandingRecords;
    Func<Task> flush = firehose ? () => agent.FirehoseProducer.FlushAsync() : () => agent.Producer.FlushAsync();
    var idleWorkingSet = Process.GetCurrentProcess().WorkingSet64;

    // Warm up until the JIT has tiered the hot paths up (slow on one core), as in a long-running agent.
    var warmupClock = Stopwatch.StartNew();
    var round = 0;
    while (warmupClock.Elapsed < TimeSpan.FromSeconds(options.WarmupSeconds) || round == 0)
    {
        File.Copy(warmup, Path.Combine(work, "round.tmp"), overwrite: true);
        File.Move(Path.Combine(work, "round.tmp"), Path.Combine(logs, $"warmup-{round++}.log"));
        if (!await WaitForAsync(() => counters.RecordsSent >= (long)round * warmupLines, TimeSpan.FromMinutes(5)))
        {
            Console.Error.WriteLine($"warm-up timed out: {counters.RecordsSent} lines acknowledged");
            return 1;
        }
    }

    var before = counters.RecordsSent;
    producerMetrics.Reset();
    var process = Process.GetCurrentProcess();
    var cpuBefore = process.TotalProcessorTime;
    var pauseBefore = GC.GetTotalPauseDuration();
    var allocatedBefore = GC.GetTotalAllocatedBytes();
    var gen0 = GC.CollectionCount(0);
    var gen2 = GC.CollectionCount(2);
    long peakBuffered = 0;
    var clock = Stopwatch.StartNew();
    var readAll = TimeSpan.Zero;
    File.Move(measured, Path.Combine(logs, "measured.log"));
    var trace = Environment.GetEnvironmentVariable("AGENT_LOAD_TRACE") is not null;
    var lastTrace = TimeSpan.Zero;
    if (!await WaitForAsync(
        () =>
        {
            peakBuffered = Math.Max(peakBuffered, buffered());
            if (readAll == TimeSpan.Zero && counters.RecordsParsed - before >= options.Lines)
            {
                // Every line is read: the last partial aggregates would wait out maxBufferAgeMillis for lines
                // that a growing log would bring. Sent now, so the figure is the steady rate, not the linger.
                readAll = clock.Elapsed;
                _ = flush();
            }

            if (trace && clock.Elapsed - lastTrace > TimeSpan.FromMilliseconds(200))
            {
                lastTrace = clock.Elapsed;
                Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds,6:F2} s buffered {buffered() / 1e6,6:F1} MB ({outstanding()} runs) parsed {counters.RecordsParsed,9} sent {counters.RecordsSent,9} puts {producerMetrics.Requests}");
            }

            return counters.RecordsSent - before >= options.Lines;
        },
        TimeSpan.FromMinutes(10)))
    {
        Console.Error.WriteLine($"timed out: {counters.RecordsSent - before} of {options.Lines} lines acknowledged");
        return 1;
    }

    var elapsed = clock.Elapsed;
    process.Refresh();
    var heapAtEnd = GC.GetGCMemoryInfo();
    if (trace)
    {
        Console.Error.WriteLine("trace: GC settings " + string.Join(", ", GC.GetConfigurationVariables().Select(kv => $"{kv.Key}={kv.Value}")));
        Console.Error.WriteLine("trace: pausing 20 s for a look at the process");
        await Task.Delay(TimeSpan.FromSeconds(20));
    }

    var cpu = process.TotalProcessorTime - cpuBefore;
    var bytes = (double)options.Lines * options.LineSize;
    Report.Print($"agent tail -> acknowledged ({options.Destination}), {options.LineSize}-byte lines, one core", new (string, string)[]
    {
        ("lines", options.Lines.ToString("N0", CultureInfo.InvariantCulture)),
        ("file size", $"{bytes / 1e6:F0} MB"),
        ("warm-up", $"{warmupClock.Elapsed.TotalSeconds:F0} s, {round} files of {warmupLines:N0} lines"),
        ("elapsed (all read; all acknowledged, the rest flushed once read)", $"{readAll.TotalSeconds:F2} s; {elapsed.TotalSeconds:F2} s"),
        ("lines/s", (options.Lines / elapsed.TotalSeconds).ToString("N0", CultureInfo.InvariantCulture)),
        ("MB/s (file bytes)", $"{bytes / elapsed.TotalSeconds / 1e6:F1}"),
        ("MiB/s (file bytes)", $"{bytes / elapsed.TotalSeconds / 1024 / 1024:F1}"),
        ("agent CPU s per GB", $"{cpu.TotalSeconds / (bytes / 1e9):F2}"),
        ("agent CPU use (of one core)", $"{cpu.TotalSeconds / elapsed.TotalSeconds:P0}"),
        ("send errors / processing errors", $"{counters.SendErrors} / {counters.ProcessingErrors}"),
        ("user records per Kinesis record", $"{producerMetrics.UserRecordsPut / Math.Max(1.0, producerMetrics.KinesisRecordsPut):F1}"),
        ("PutRecords calls; mean PutRecords time / mean buffering time", $"{producerMetrics.Requests:N0}; {producerMetrics.MeanRequestMs:F1} ms / {producerMetrics.MeanBufferingMs:F1} ms"),
        ("maxBufferedBytes / peak producer buffer", $"{options.MaxBufferedBytes / 1024.0 / 1024.0:F0} MiB / {peakBuffered / 1024.0 / 1024.0:F1} MiB"),
        ("GC pauses (gen0/gen2 collections)", $"{(GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds:F2} s ({GC.CollectionCount(0) - gen0}/{GC.CollectionCount(2) - gen2})"),
        ("allocated per line", $"{(GC.GetTotalAllocatedBytes() - allocatedBefore) / (double)options.Lines:F0} B"),
        ("GC heap / committed at the end", $"{heapAtEnd.HeapSizeBytes / 1024.0 / 1024.0:F0} MiB / {heapAtEnd.TotalCommittedBytes / 1024.0 / 1024.0:F0} MiB"),
        ("GC heap after a full collection (what is kept)", $"{LiveHeapMiB():F0} MiB"),
        ("working set of the started, idle agent", $"{idleWorkingSet / 1024.0 / 1024.0:F0} MiB"),
        ("peak working set (whole run)", $"{Process.GetCurrentProcess().PeakWorkingSet64 / 1024.0 / 1024.0:F0} MiB"),
        ("working set at the end", $"{Process.GetCurrentProcess().WorkingSet64 / 1024.0 / 1024.0:F0} MiB"),
    });
    return 0;
}
finally
{
    Directory.Delete(work, recursive: true);
}

// The one flow: a Kinesis stream (RANDOM keys, aggregated) or a Firehose delivery stream.
static Dictionary<string, object> Flow(Arguments options, string logs)
{
    var flow = new Dictionary<string, object>
    {
        ["filePattern"] = Path.Combine(logs, "*.log"),
        ["initialPosition"] = "START_OF_FILE",
        ["maxBufferAgeMillis"] = options.MaxBufferAgeMillis,
        ["maxTimeBetweenFileTrackerRefreshMillis"] = 100,
    };
    if (options.Destination == DestinationKind.DeliveryStream)
    {
        flow["deliveryStream"] = options.Stream;
        // One PutRecordBatch carries at most 4 MiB.
        flow["maxBufferSizeBytes"] = Math.Min(options.MaxBufferSizeBytes, 4 * 1024 * 1024);
        if (options.AggregatedRecordSizeBytes > 0)
        {
            flow["aggregatedRecordSizeBytes"] = options.AggregatedRecordSizeBytes;
        }
    }
    else
    {
        flow["kinesisStream"] = options.Stream;
        flow["maxBufferSizeBytes"] = options.MaxBufferSizeBytes;
    }

    return flow;
}

static double LiveHeapMiB()
{
    return GC.GetTotalMemory(forceFullCollection: true) / 1024.0 / 1024.0;
}

// The engine is in this process: a short interval costs little and times the end closely.
static Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout) => Polling.WaitForAsync(condition, timeout, TimeSpan.FromMilliseconds(5));

static void WriteLines(string path, int lineSize, int lines, long firstNumber)
{
    // Lines look like log lines (a counter, then filler), newline included in lineSize.
    using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, 1 << 20);
    var line = new byte[lineSize];
    var filler = "GET /api/v1/items?page=1 200 0.013 Mozilla/5.0 (X11; Linux x86_64) kinesis-agent-benchmark "u8;
    for (var i = 0; i < lineSize - 1; i++)
    {
        line[i] = filler[i % filler.Length];
    }

    line[^1] = (byte)'\n';
    for (var i = 0; i < lines; i++)
    {
        (firstNumber + i).TryFormat(line.AsSpan(0, 10), out var written, "D10", CultureInfo.InvariantCulture);
        line[written] = (byte)' ';
        file.Write(line);
    }
}

/// <summary>What both kinds of run share: the options, the work folder and its log folder, the agent's configuration and the files.</summary>
internal sealed record LoadSetup(Arguments Options, string Work, string Logs, Dictionary<string, object> Configuration, string MeasuredFile, string WarmupFile, int WarmupLines);

internal sealed record Arguments(string Mode, int LineSize, int Lines, int Shards, string Stream, Uri? Endpoint, int WarmupSeconds, long MaxBufferedBytes, int MaxBufferAgeMillis, int MaxBufferSizeBytes, string? Program, DestinationKind Destination, int AggregatedRecordSizeBytes)
{
    public static Arguments Parse(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "throughput";
        int lineSize = 100, lines = 2_000_000, shards = 64, warmup = 30;
        long maxBuffered = 8L * 1024 * 1024;
        var maxBufferAge = 1000;
        var maxBufferSize = 5 * 1024 * 1024;
        string stream = "agent-bench";
        Uri? endpoint = null;
        string? program = null;
        var destination = DestinationKind.KinesisStream;
        var aggregatedRecordSize = 0;
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--line-size": lineSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--lines": lines = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--shards": shards = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--stream": stream = args[i + 1]; break;
                case "--endpoint": endpoint = new Uri(args[i + 1]); break;
                case "--warmup-seconds": warmup = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--max-buffered-bytes": maxBuffered = long.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--max-buffer-age-millis": maxBufferAge = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--max-buffer-size-bytes": maxBufferSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--program": program = Path.GetFullPath(args[i + 1]); break;
                case "--destination":
                    destination = args[i + 1] switch
                    {
                        "kinesis" => DestinationKind.KinesisStream,
                        "firehose" => DestinationKind.DeliveryStream,
                        _ => throw new ArgumentException($"--destination must be kinesis or firehose, not {args[i + 1]}"),
                    };
                    break;
                case "--aggregated-record-size-bytes": aggregatedRecordSize = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                default: throw new ArgumentException($"unknown argument {args[i]}");
            }
        }

        return lineSize < 12 ? throw new ArgumentException("--line-size must be at least 12") : new Arguments(mode, lineSize, lines, shards, stream, endpoint, warmup, maxBuffered, maxBufferAge, maxBufferSize, program, destination, aggregatedRecordSize);
    }
}
