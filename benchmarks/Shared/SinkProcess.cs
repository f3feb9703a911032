using System.Diagnostics;

namespace Kinesis.Clients.Benchmarks.Load;

/// <summary>This program in sink mode (<see cref="SinkRun"/>), as a child process pinned away from the measured core.</summary>
internal sealed class SinkProcess : IDisposable
{
    private readonly Process _process;

    private SinkProcess(Process process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    public Uri Endpoint { get; }

    /// <summary>Starts this program as a sink in another process.</summary>
    /// <param name="shards">The stream's shards (a Kinesis sink).</param>
    /// <param name="stream">The stream's (or delivery stream's) name.</param>
    /// <param name="mode">The mode that runs the sink: <c>sink</c> (Kinesis), or a tool's own (e.g. a Firehose sink).</param>
    public static SinkProcess Start(int shards, string stream, string mode = "sink")
    {
        var self = typeof(SinkProcess).Assembly.Location;
        var cores = PinnedRun.MachineCores;
        var pin = OperatingSystem.IsLinux() && cores > 1 && File.Exists("/usr/bin/taskset");
        var start = new ProcessStartInfo(pin ? "/usr/bin/taskset" : "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        if (pin)
        {
            // Every core but the producer's (core 0), for every thread of the sink.
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add($"1-{cores - 1}");
            start.ArgumentList.Add("dotnet");
        }

        // GC settings given to try on the measured process are not the sink's: a heap limit would starve it.
        foreach (var key in start.Environment.Keys.Where(k => k.StartsWith("DOTNET_GC", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(key);
        }

        foreach (var arg in new[] { self, mode, "--shards", shards.ToString(System.Globalization.CultureInfo.InvariantCulture), "--stream", stream })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the sink process.");
        var line = process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The sink process exited before printing its endpoint.");
        return new SinkProcess(process, new Uri(line));
    }

    /// <summary>What the sink has accepted so far (asked over its stdin, answered on its stdout).</summary>
    /// <returns>Kinesis records, the user records in them (aggregates counted by their records), data bytes.</returns>
    public (long KinesisRecords, long UserRecords, long DataBytes) ReadStats()
    {
        _process.StandardInput.WriteLine("stats");
        _process.StandardInput.Flush();
        var line = _process.StandardOutput.ReadLine() ?? throw new InvalidOperationException("The sink process exited.");
        var parts = line.Split(' ');
        return (
            long.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture),
            long.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture));
    }

    public void Dispose()
    {
        try
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        finally
        {
            _process.Dispose();
        }
    }
}
