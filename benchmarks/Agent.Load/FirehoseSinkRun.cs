using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Agent.Load;

/// <summary>
/// The loopback Firehose of the testing kit as the sink of a Firehose run (<c>firehose-sink</c> mode), in its own
/// process: no quota, records counted rather than stored. It answers "stats" on stdin as the Kinesis sink does,
/// with "RECORDS LINES DATA_BYTES": Firehose records, the lines in them (each ends with its '\n'), their bytes.
/// </summary>
internal static class FirehoseSinkRun
{
    public static async Task<int> RunAsync(string deliveryStream)
    {
        long records = 0, lines = 0, bytes = 0;
        await using var firehose = await LoopbackFirehose.StartAsync(FirehoseQuota.Unlimited);
        firehose.StoresRecords = false;
        firehose.OnAccepted = (_, data) =>
        {
            Interlocked.Increment(ref records);
            Interlocked.Add(ref lines, data.AsSpan().Count((byte)'\n'));
            Interlocked.Add(ref bytes, data.Length);
        };
        firehose.CreateDeliveryStream(deliveryStream);
        Console.WriteLine(firehose.Endpoint);
        Console.Out.Flush();

        while (await Console.In.ReadLineAsync() is { } command)
        {
            if (command == "stats")
            {
                Console.WriteLine($"{Interlocked.Read(ref records)} {Interlocked.Read(ref lines)} {Interlocked.Read(ref bytes)}");
                Console.Out.Flush();
            }
        }

        var cpu = System.Diagnostics.Process.GetCurrentProcess().TotalProcessorTime;
        await Console.Error.WriteLineAsync($"firehose sink: {records} records ({lines} lines, {bytes} bytes) in {firehose.Attempts} requests; sink CPU {cpu.TotalSeconds:F1} s in all");
        return 0;
    }
}
