using System.Diagnostics;
using Amazon.Runtime;

namespace Kinesis.Clients.Producer.Load;

/// <summary>
/// One producer against the sink, as the compression and encryption modes run it: a settling round (the JIT, and the
/// compression ratio estimate), then the measured records, with the bytes it put on the wire and its CPU.
/// </summary>
internal static class SinkProduction
{
    private const int SettlingRecords = 200_000;

    /// <summary>Runs a producer with the load tool's options, changed by <paramref name="configure"/>.</summary>
    /// <param name="endpoint">The sink.</param>
    /// <param name="arguments">Records, stream.</param>
    /// <param name="configure">What this run sets (compression, encryption).</param>
    /// <param name="keys">Partition keys, used in turn.</param>
    /// <param name="lines">Record data, used in turn.</param>
    /// <param name="onFailed">Called for each record that failed.</param>
    public static async Task<ProductionFigures> RunAsync(
        Uri endpoint, LoadArguments arguments, Action<KinesisProducerOptions> configure, string[] keys, byte[][] lines, Action onFailed)
    {
        var options = new KinesisProducerOptions
        {
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            KinesisEndpoint = endpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("AKIDLOADTEST", "secret"),
            RecordTtl = TimeSpan.FromMinutes(5),
            OnRecordFailed = _ => onFailed(),
        };
        configure(options);
        var life = Stopwatch.StartNew();
        await using var producer = new KinesisProducer(options);
        long settlingUserBytes;
        using (var settling = new WireCounter())
        {
            await PutAsync(producer, arguments.Stream, keys, lines, Math.Min(arguments.Records, SettlingRecords));
            settlingUserBytes = settling.UserBytes;
        }

        using var bytes = new WireCounter();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        await PutAsync(producer, arguments.Stream, keys, lines, arguments.Records);
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / (arguments.Records / 1e6);
        return new ProductionFigures(bytes.KinesisBytes, bytes.UserBytes, bytes.KinesisRecords, cpu, settlingUserBytes + bytes.UserBytes, life.Elapsed);
    }

    private static async Task PutAsync(KinesisProducer producer, string stream, string[] keys, byte[][] lines, int count)
    {
        for (var i = 0; i < count; i++)
        {
            var accepted = producer.EnqueueAsync(stream, keys[i % keys.Length], lines[i % lines.Length]);
            if (!accepted.IsCompletedSuccessfully)
            {
                await accepted;
            }
        }

        await producer.FlushAsync();
    }
}
