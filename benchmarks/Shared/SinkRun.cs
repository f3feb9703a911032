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
        long userRecords = 0;
        await using var sink = await KinesisLimitsProxy.StartStandaloneAsync(
            StandaloneStreams.Of(stream, shards),
            new LimitsProxyOptions
            {
                EnforceLimits = limits,
                OnAccepted = (_, _, _, _, data, _) => Interlocked.Add(ref userRecords, UserRecordCount.Of(data.Span)),
            });
        Console.WriteLine(sink.Endpoint);
        Console.Out.Flush();

        // Runs until the parent closes our stdin (or dies, which closes it too). A "stats" line asks for what was
        // accepted so far: "KINESIS_RECORDS USER_RECORDS DATA_BYTES" on one line.
        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "stats")
            {
                var now = sink.Stats;
                Console.WriteLine($"{now.AcceptedRecords} {Interlocked.Read(ref userRecords)} {now.AcceptedDataBytes}");
                Console.Out.Flush();
            }
        }

        var stats = sink.Stats;
        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        await Console.Error.WriteLineAsync($"sink: {stats.AcceptedRecords} Kinesis records ({Interlocked.Read(ref userRecords)} user records), {stats.AcceptedBytes} bytes accepted in {stats.PutRecordsRequests} PutRecords; sink CPU {cpu.TotalSeconds:F1} s in all");
        return 0;
    }
}
