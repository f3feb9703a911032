using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Kinesis.Clients.Benchmarks.Load;

namespace Kinesis.Clients.Agent.Load;

/// <summary>
/// The throughput measurement against the program as it ships (<c>--program PATH</c>): the kinesis-agent runs as a
/// child process on this process's core, and what Kinesis has acknowledged is read from the sink, which counts the
/// user records inside every aggregate it accepts. Memory and CPU are the child's own, from <c>/proc</c>.
/// </summary>
internal static class ProgramRun
{
    public static async Task<int> RunAsync(LoadSetup setup, SinkProcess sink)
    {
        var options = setup.Options;
        var configPath = Path.Combine(setup.Work, "agent.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(setup.Configuration));

        var start = new ProcessStartInfo(options.Program!)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(configPath);
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        var output = new StringBuilder();
        using var agent = Process.Start(start) ?? throw new InvalidOperationException($"{options.Program} did not start");
        agent.OutputDataReceived += (_, e) => Append(output, e.Data);
        agent.ErrorDataReceived += (_, e) => Append(output, e.Data);
        agent.BeginOutputReadLine();
        agent.BeginErrorReadLine();
        try
        {
            if (!await WaitForAsync(() => agent.HasExited || Read(output).Contains("kinesis-agent started", StringComparison.Ordinal), TimeSpan.FromMinutes(1))
                || agent.HasExited)
            {
                Console.Error.WriteLine($"the agent did not start:{Environment.NewLine}{Read(output)}");
                return 1;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
            var idleRss = ProcessMemory.ResidentKiB(agent.Id);

            // A natively compiled program has nothing to warm up; a program on the JIT needs its tiers compiled.
            var warmupClock = Stopwatch.StartNew();
            var round = 0;
            var baseline = sink.ReadStats().UserRecords;
            while (warmupClock.Elapsed < TimeSpan.FromSeconds(options.WarmupSeconds) || round == 0)
            {
                File.Copy(setup.WarmupFile, Path.Combine(setup.Work, "round.tmp"), overwrite: true);
                File.Move(Path.Combine(setup.Work, "round.tmp"), Path.Combine(setup.Logs, $"warmup-{round++}.log"));
                var expected = baseline + ((long)round * setup.WarmupLines);
                if (!await WaitForAsync(() => agent.HasExited || sink.ReadStats().UserRecords >= expected, TimeSpan.FromMinutes(5)) || agent.HasExited)
                {
                    Console.Error.WriteLine($"warm-up failed: {sink.ReadStats().UserRecords - baseline} of {expected - baseline} lines acknowledged{Environment.NewLine}{Read(output)}");
                    return 1;
                }
            }

            var before = sink.ReadStats();
            var cpuBefore = agent.TotalProcessorTime;
            long peakRss = 0;
            TimeSpan? at5 = null, at95 = null;
            var clock = Stopwatch.StartNew();
            File.Move(setup.MeasuredFile, Path.Combine(setup.Logs, "measured.log"));
            var done = await WaitForAsync(
                () =>
                {
                    var acknowledged = sink.ReadStats().UserRecords - before.UserRecords;
                    peakRss = Math.Max(peakRss, ProcessMemory.ResidentKiB(agent.Id));
                    at5 ??= acknowledged >= options.Lines / 20 ? clock.Elapsed : null;
                    at95 ??= acknowledged >= options.Lines - (options.Lines / 20) ? clock.Elapsed : null;
                    return agent.HasExited || acknowledged >= options.Lines;
                },
                TimeSpan.FromMinutes(10));
            var elapsed = clock.Elapsed;
            if (!done || agent.HasExited)
            {
                Console.Error.WriteLine($"timed out or exited: {sink.ReadStats().UserRecords - before.UserRecords} of {options.Lines} lines acknowledged{Environment.NewLine}{Read(output)}");
                return 1;
            }

            agent.Refresh();
            var cpu = agent.TotalProcessorTime - cpuBefore;
            var after = sink.ReadStats();
            var peakWholeRun = ProcessMemory.PeakResidentKiB(agent.Id);
            var bytes = (double)options.Lines * options.LineSize;
            var steady = (at95!.Value - at5!.Value).TotalSeconds;
            var steadyLines = options.Lines - (2 * (options.Lines / 20));
            Report.Print($"kinesis-agent program tail -> acknowledged ({options.Destination}), {options.LineSize}-byte lines, one core", new (string, string)[]
            {
                ("program", options.Program!),
                ("lines", options.Lines.ToString("N0", CultureInfo.InvariantCulture)),
                ("file size", $"{bytes / 1e6:F0} MB"),
                ("warm-up", $"{warmupClock.Elapsed.TotalSeconds:F0} s, {round} files of {setup.WarmupLines:N0} lines"),
                ("elapsed (5 % to 95 % acknowledged; file moved in to all acknowledged)", $"{steady:F2} s; {elapsed.TotalSeconds:F2} s"),
                ("lines/s (steady, 5-95 %)", (steadyLines / steady).ToString("N0", CultureInfo.InvariantCulture)),
                ("MB/s (file bytes; steady, 5-95 %)", $"{steadyLines * (double)options.LineSize / steady / 1e6:F1}"),
                ("MB/s (file bytes; whole file, with discovery and the last maxBufferAgeMillis)", $"{bytes / elapsed.TotalSeconds / 1e6:F1}"),
                ("agent CPU s per GB (whole file)", $"{cpu.TotalSeconds / (bytes / 1e9):F2}"),
                ("agent CPU use (of one core, whole file)", $"{cpu.TotalSeconds / elapsed.TotalSeconds:P0}"),
                (options.Destination == DestinationKind.DeliveryStream ? "lines per Firehose record" : "user records per Kinesis record", $"{(after.UserRecords - before.UserRecords) / Math.Max(1.0, after.KinesisRecords - before.KinesisRecords):F1}"),
                ("resident set of the started, idle agent", $"{idleRss / 1024.0:F0} MiB"),
                ("peak resident set (this file; whole run incl. warm-up)", $"{peakRss / 1024.0:F0} MiB; {peakWholeRun / 1024.0:F0} MiB"),
            });

            using var stop = Process.Start("kill", ["-TERM", agent.Id.ToString(CultureInfo.InvariantCulture)]);
            await stop.WaitForExitAsync();
            using var exitWait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            await agent.WaitForExitAsync(exitWait.Token);
            if (agent.ExitCode != 0)
            {
                Console.Error.WriteLine($"the agent exited {agent.ExitCode} on SIGTERM:{Environment.NewLine}{Read(output)}");
                return 1;
            }

            return 0;
        }
        finally
        {
            if (!agent.HasExited)
            {
                agent.Kill(entireProcessTree: true);
            }
        }
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }

    private static string Read(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    // Each check asks the sink over its stdin, on the measured core: every 20 ms is plenty.
    private static Task<bool> WaitForAsync(Func<bool> condition, TimeSpan timeout) => Polling.WaitForAsync(condition, timeout, TimeSpan.FromMilliseconds(20));
}
