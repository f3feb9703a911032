using System.Diagnostics;
using System.Globalization;
using System.Text;
using Amazon.Runtime;
using Kinesis.Clients.Benchmarks.Load;
using Kinesis.Clients.Producer;

namespace Kinesis.Clients.Soak;

/// <summary>
/// The producer service (mode <c>producer</c>): one <see cref="KinesisProducer"/> writing records
/// <c>p:KEY:SEQ:UNIXMS:padding</c> at a steady rate, keys <c>k0..kN</c> in turn, each key's sequence counting from 0,
/// with <see cref="KinesisProducerOptions.PreserveShardOrder"/> (the order promise the soak checks). Runs until its
/// standard input closes, then waits for every record's outcome and prints, per key, the next sequence number and
/// the sequence numbers that failed for good: <c>key K NEXT FAILED,FAILED,...</c>, then <c>peak KIB</c>.
/// </summary>
internal static class ProducerRole
{
    private const int RecordSize = 200;

    public static async Task<int> RunAsync(SoakArguments arguments)
    {
        if (arguments.KinesisEndpoint is null || arguments.Stream.Length == 0)
        {
            await Console.Error.WriteLineAsync("producer needs --kinesis and --stream");
            return 2;
        }

        var keys = Enumerable.Range(0, arguments.Keys).Select(i => "k" + i.ToString(CultureInfo.InvariantCulture)).ToArray();
        var next = new int[keys.Length];
        var failed = keys.Select(_ => new List<int>()).ToArray();
        var pending = new List<Task>();
        var reasons = new System.Collections.Concurrent.ConcurrentDictionary<string, long>(StringComparer.Ordinal);
        long acknowledged = 0, failures = 0;
        var producer = new KinesisProducer(new KinesisProducerOptions
        {
            KinesisEndpoint = arguments.KinesisEndpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("AKIDSOAKPRODUCER", "secret"),
            PreserveShardOrder = true,
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            ShutdownTimeout = TimeSpan.FromMinutes(2),
        });
        using var stop = new CancellationTokenSource();
        _ = Task.Run(async () =>
        {
            while (await Console.In.ReadLineAsync().ConfigureAwait(false) is not null)
            {
            }

            await stop.CancelAsync().ConfigureAwait(false);
        });
        Console.WriteLine("started");

        var padding = new string('x', RecordSize);
        var clock = Stopwatch.StartNew();
        long sent = 0;
        var lastReport = TimeSpan.Zero;
        while (!stop.IsCancellationRequested)
        {
            // A steady rate: catch up to where the clock says we should be, in small steps.
            var due = (long)(clock.Elapsed.TotalSeconds * arguments.ProducerRate);
            while (sent < due && !stop.IsCancellationRequested)
            {
                var k = (int)(sent % keys.Length);
                var seq = next[k]++;
                var head = string.Create(CultureInfo.InvariantCulture, $"p:{keys[k]}:{seq}:{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}:");
                var data = Encoding.ASCII.GetBytes(head + padding[..(RecordSize - head.Length)]);
                var put = producer.PutAsync(arguments.Stream, keys[k], data);
                pending.Add(put.ContinueWith(
                    t =>
                    {
                        if (t.IsCompletedSuccessfully)
                        {
                            Interlocked.Increment(ref acknowledged);
                            return;
                        }

                        var reason = t.Exception?.InnerException is RecordFailedException failure ? failure.Failure.ErrorCode : t.Exception?.InnerException?.GetType().Name ?? "cancelled";
                        reasons.AddOrUpdate(reason, 1, (_, n) => n + 1);
                        Interlocked.Increment(ref failures);
                        lock (failed[k])
                        {
                            failed[k].Add(seq);
                        }
                    },
                    CancellationToken.None,
                    TaskContinuationOptions.ExecuteSynchronously,
                    TaskScheduler.Default));
                sent++;
            }

            pending.RemoveAll(t => t.IsCompleted);
            if (clock.Elapsed - lastReport > TimeSpan.FromSeconds(10))
            {
                lastReport = clock.Elapsed;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"progress {sent} {Interlocked.Read(ref acknowledged)} {Interlocked.Read(ref failures)} {producer.OutstandingRecords}"));
            }

            try
            {
                await Task.Delay(20, stop.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }

        // Every record accepted gets an outcome: acknowledged, or failed with a reason (disposal waits for them).
        await producer.DisposeAsync();
        await Task.WhenAll(pending);
        for (var k = 0; k < keys.Length; k++)
        {
            failed[k].Sort();
            Console.WriteLine($"key {keys[k]} {next[k].ToString(CultureInfo.InvariantCulture)} {string.Join(',', failed[k])}");
        }

        Console.WriteLine("reasons " + string.Join(',', reasons.Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key}={r.Value}"))));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {sent} {Interlocked.Read(ref acknowledged)} {Interlocked.Read(ref failures)}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak {ProcessMemory.PeakResidentKiB(Environment.ProcessId)}"));
        return 0;
    }
}
