using System.Globalization;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Benchmarks.Load;

namespace Kinesis.Clients.Producer.Load;

/// <summary>
/// Compression on log-like data: for each kind of data and each setting, the producer's bytes on the wire (what the
/// shards are charged) and its CPU per million records against the sink, then the CPU to decode and deaggregate.
/// </summary>
internal static class CompressionRun
{
    private static readonly RecordCompression[] Settings =
        [RecordCompression.None, RecordCompression.Gzip(6), RecordCompression.Zstd(1), RecordCompression.Zstd(3)];

    public static async Task<int> RunAsync(LoadArguments arguments)
    {
        using var sink = arguments.Endpoint is null ? SinkProcess.Start(arguments.Shards, arguments.Stream) : null;
        var endpoint = arguments.Endpoint ?? sink!.Endpoint;
        var rows = new List<(string, string)>();
        var failed = 0L;
        foreach (var kind in CompressionData.Kinds)
        {
            var lines = CompressionData.Lines(kind, Math.Min(arguments.Records, 200_000));
            var keys = Enumerable.Range(0, arguments.Keys).Select(i => $"host-{i:D4}").ToArray();
            long? plainWire = null;
            double? plainCpu = null;
            foreach (var setting in Settings)
            {
                var (wire, userBytes, kinesisRecords, cpu, _, _, _) = await SinkProduction.RunAsync(
                    endpoint, arguments, options => options.Compression = setting, keys, lines, () => Interlocked.Increment(ref failed));
                plainWire ??= wire;
                plainCpu ??= cpu;
                var decodeCpu = await DecodeTiming.CpuPerMillionAsync(
                    DecodeTiming.Aggregates(lines, keys, setting, wire / (double)userBytes), decryptor: null, lines.Length);
                rows.Add(($"{kind}, {setting}",
                    string.Create(CultureInfo.InvariantCulture,
                        $"wire {wire / 1e6,7:F1} MB ({plainWire / (double)wire,4:F1}x fewer, {wire / (double)userBytes * 1e9 / (1024 * 1024),5:F0} shard-s per GB of data), {userBytes / (double)Math.Max(1, kinesisRecords) / 1024,5:F0} KiB user data per Kinesis record, "
                        + $"producer {cpu,5:F2} CPU-s/M ({cpu - plainCpu,5:+0.00;-0.00} vs none), decode {decodeCpu,5:F2} CPU-s/M")));
            }
        }

        rows.Insert(0, ("records per run / keys / shards", $"{arguments.Records:N0} / {arguments.Keys:N0} / {arguments.Shards}"));
        rows.Add(("failed records", Interlocked.Read(ref failed).ToString(CultureInfo.InvariantCulture)));
        Report.Print("Compression: bytes on the wire and CPU per million records (producer against the sink; decode on one thread)", rows);
        return Interlocked.Read(ref failed) == 0 ? 0 : 1;
    }
}
