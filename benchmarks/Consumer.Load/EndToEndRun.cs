using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using Kinesis.Clients.Benchmarks.Load;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>
/// One worker draining a pre-filled stream from TRIM_HORIZON: user records per second end to end (GetRecords,
/// de-aggregation, dispatch, lease renewals), against whatever the backend can serve. With <c>--fanout tls</c> or
/// <c>--fanout plain</c> the worker reads through enhanced fan-out (the kit's SubscribeToShard server in this process,
/// over TLS or cleartext HTTP/2) instead of GetRecords.
/// </summary>
internal static class EndToEndRun
{
    private const int RecordSize = 100;
    private static readonly TimeSpan Deadline = TimeSpan.FromMinutes(10);

    public static async Task<int> RunAsync(LoadArguments arguments)
    {
        await using var backend = await Backend.StartAsync(arguments);
        // kinesis-mock does not find a consumer of a stream named "consumer-load-..." (it reads the ARN's stream as
        // "undefined"), so fan-out runs use another name.
        var stream = await backend.CreateStreamAsync(arguments.FanOut is null ? "consumer-load" : "fanout-load", arguments.Shards);

        var fill = Stopwatch.StartNew();
        await FillAsync(backend, stream, arguments.Records);
        fill.Stop();

        if (arguments.FanOut is not (null or "tls" or "plain"))
        {
            Console.Error.WriteLine($"--fanout takes tls or plain; got '{arguments.FanOut}'.");
            return 2;
        }

        await using var fanOut = arguments.FanOut is { } mode ? await FanOutRetrieval.StartAsync(backend, tls: mode == "tls") : null;
        var factory = new CountingProcessorFactory(arguments.Records);
        var options = backend.ConsumerOptions(stream, backend.NewApplication("consumer-load"), "w1", TimeSpan.FromSeconds(10));
        var consumer = new KinesisConsumer(fanOut?.Apply(options) ?? options, factory);
        using var stop = new CancellationTokenSource();
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        var run = Task.Run(() => consumer.RunAsync(stop.Token));
        TimeSpan? firstRecord = null;
        var lastStatus = TimeSpan.Zero;
        while (factory.Distinct < arguments.Records)
        {
            if (clock.Elapsed > Deadline || run.IsCompleted)
            {
                Console.Error.WriteLine($"Stopped after {clock.Elapsed.TotalSeconds:F0} s with {factory.Distinct:N0} of {arguments.Records:N0} records.");
                break;
            }

            if (fanOut is not null && clock.Elapsed - lastStatus > TimeSpan.FromSeconds(30))
            {
                lastStatus = clock.Elapsed;
                Console.Error.WriteLine($"{clock.Elapsed.TotalSeconds:F0} s: {factory.Distinct:N0} records; {fanOut.CallSummary()}");
            }

            if (firstRecord is null && factory.Records > 0)
            {
                firstRecord = clock.Elapsed;
            }

            await Task.Delay(10);
        }

        var elapsed = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        await stop.CancelAsync();
        await run;

        var draining = elapsed - (firstRecord ?? TimeSpan.Zero);
        Report.Print("End to end, one worker", new (string, string)[]
        {
            ("backend", backend.Description),
            ("retrieval", fanOut?.Description ?? "polling (GetRecords)"),
            ("subscriptions", fanOut?.CallSummary() ?? "none"),
            ("cores", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
            ("stream", $"{arguments.Shards} shards, {arguments.Records:N0} user records of {RecordSize} B, aggregated (filled in {fill.Elapsed.TotalSeconds:F1} s)"),
            ("records delivered / distinct", $"{factory.Records:N0} / {factory.Distinct:N0}"),
            ("distinct positions delivered", $"{factory.DistinctPositions:N0} (below delivered: redelivery; above distinct: duplicates written to the stream)"),
            ("start to last record", $"{elapsed.TotalSeconds:F2} s (first record after {firstRecord?.TotalSeconds ?? 0:F2} s)"),
            ("delivered records/s from start", $"{factory.Records / elapsed.TotalSeconds:N0}"),
            ("delivered records/s from first record", $"{factory.Records / Math.Max(draining.TotalSeconds, 1e-3):N0}"),
            ("consumer process CPU", $"{cpu.TotalSeconds:F2} s ({cpu.TotalSeconds * 1e6 / Math.Max(1, factory.Records):F2} s per million records)"),
        });
        return factory.Distinct >= arguments.Records ? 0 : 1;
    }

    private static async Task FillAsync(Backend backend, string stream, int records)
    {
        var failed = 0L;
        await using var producer = new Producer.KinesisProducer(new Producer.KinesisProducerOptions
        {
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            KinesisEndpoint = backend.KinesisEndpoint,
            Region = backend.Region,
            Credentials = Backend.Credentials,
            OnRecordFailed = _ => Interlocked.Increment(ref failed),
        });
        for (var i = 0; i < records; i++)
        {
            // Each record carries its index, so the consumer side can tell distinct records from duplicates.
            var data = new byte[RecordSize];
            BinaryPrimitives.WriteInt32LittleEndian(data, i);
            await producer.EnqueueAsync(stream, string.Create(CultureInfo.InvariantCulture, $"key-{i % 10_000:D5}"), data);
        }

        await producer.FlushAsync(stream);
        if (Interlocked.Read(ref failed) > 0)
        {
            throw new InvalidOperationException($"{failed} records failed to reach {stream}; the count would never be reached.");
        }
    }
}
