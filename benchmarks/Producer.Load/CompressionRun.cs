using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Amazon.Runtime;
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
                var (wire, userBytes, kinesisRecords, cpu) = await ProduceAsync(endpoint, arguments, setting, keys, lines, () => Interlocked.Increment(ref failed));
                plainWire ??= wire;
                plainCpu ??= cpu;
                var decodeCpu = DecodeCpuPerMillion(lines, keys, setting, wire / (double)userBytes);
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

    private static async Task<(long Wire, long UserBytes, long KinesisRecords, double CpuPerMillion)> ProduceAsync(
        Uri endpoint, LoadArguments arguments, RecordCompression setting, string[] keys, byte[][] lines, Action onFailed)
    {
        var options = new KinesisProducerOptions
        {
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            KinesisEndpoint = endpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("AKIDLOADTEST", "secret"),
            RecordTtl = TimeSpan.FromMinutes(5),
            Compression = setting,
            OnRecordFailed = _ => onFailed(),
        };
        await using var producer = new KinesisProducer(options);
        await PutAsync(producer, arguments.Stream, keys, lines, Math.Min(arguments.Records, 200_000)); // JIT and the ratio estimate settle

        using var bytes = new WireCounter();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        await PutAsync(producer, arguments.Stream, keys, lines, arguments.Records);
        process.Refresh();
        var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds / (arguments.Records / 1e6);
        return (bytes.KinesisBytes, bytes.UserBytes, bytes.KinesisRecords, cpu);
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

    // The consumer's side: Kinesis records as the producer made them (aggregates filled to the size the producer's
    // wire ratio implies, compressed), then opened and deaggregated, timed on this thread.
    private static double DecodeCpuPerMillion(byte[][] lines, string[] keys, RecordCompression setting, double wireRatio)
    {
        var rawTarget = setting.IsEnabled ? (int)Math.Clamp(51_200 * 0.9 / wireRatio, 51_200, 1024 * 1024) : 51_200;
        var records = new List<byte[]>();
        using (var builder = new AggregateBuilder(rawTarget))
        {
            for (var i = 0; i < lines.Length; i++)
            {
                if (!builder.TryAdd(keys[i % keys.Length], null, lines[i]))
                {
                    records.Add(Seal(builder, setting));
                    builder.Reset();
                    builder.TryAdd(keys[i % keys.Length], null, lines[i]);
                }
            }

            records.Add(Seal(builder, setting));
        }

        var subRecords = new List<DeaggregatedRecord>();
        foreach (var record in records)
        {
            // One unmeasured pass: the JIT, and the thread's zstd context.
            subRecords.Clear();
            Deaggregator.DeaggregateInto("a", record, subRecords, out _);
        }

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var decoded = 0L;
        for (var round = 0; round < 5; round++)
        {
            foreach (var record in records)
            {
                subRecords.Clear();
                Deaggregator.DeaggregateInto("a", record, subRecords, out _);
                decoded += subRecords.Count;
            }
        }

        var cpu = (Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds;
        return cpu / (decoded / 1e6);
    }

    private static byte[] Seal(AggregateBuilder builder, RecordCompression setting) =>
        setting.IsEnabled ? RecordCodec.Encode(builder.ToArray(), setting) : builder.ToArray();

    /// <summary>The producer's KinesisRecordsDataPut (what PutRecords counts: data and key) and UserRecordsDataPut.</summary>
    private sealed class WireCounter : IDisposable
    {
        private readonly MeterListener _listener = new();
        private long _kinesisBytes;
        private long _userBytes;
        private long _kinesisRecords;

        public WireCounter()
        {
            _listener.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name == "Kinesis.Clients.Producer" && instrument.Name is "KinesisRecordsDataPut" or "UserRecordsDataPut" or "KinesisRecordsPut")
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
            {
                switch (instrument.Name)
                {
                    case "KinesisRecordsDataPut":
                        Interlocked.Add(ref _kinesisBytes, value);
                        break;
                    case "UserRecordsDataPut":
                        Interlocked.Add(ref _userBytes, value);
                        break;
                    default:
                        Interlocked.Add(ref _kinesisRecords, value);
                        break;
                }
            });
            _listener.Start();
        }

        public long KinesisBytes => Interlocked.Read(ref _kinesisBytes);

        public long UserBytes => Interlocked.Read(ref _userBytes);

        public long KinesisRecords => Interlocked.Read(ref _kinesisRecords);

        public void Dispose() => _listener.Dispose();
    }
}
