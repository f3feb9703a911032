using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Benchmarks.Load;

/// <summary>
/// Runs the standalone sink (the limits proxy with no backend) as its own process, so the measured program's CPU is
/// counted apart from it. Every load tool answers the <c>sink</c> mode with this.
/// </summary>
internal static class SinkRun
{
    public static async Task<int> RunAsync(string stream, int shards, bool limits)
    {
        await using var sink = await KinesisLimitsProxy.StartStandaloneAsync(
            StandaloneStreams.Of(stream, shards),
            new LimitsProxyOptions { EnforceLimits = limits });
        Console.WriteLine(sink.Endpoint);
        Console.Out.Flush();

        // Runs until the parent closes our stdin (or dies, which closes it too).
        await Console.In.ReadToEndAsync();
        var stats = sink.Stats;
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        await Console.Error.WriteLineAsync($"sink: {stats.AcceptedRecords} Kinesis records, {stats.AcceptedBytes} bytes accepted in {stats.PutRecordsRequests} PutRecords; sink CPU {cpu.TotalSeconds:F1} s in all");
        return 0;
    }
}
