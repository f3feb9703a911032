using System.Diagnostics;
using Amazon.Runtime;
using Kinesis.Clients.Benchmarks.Load;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Producer.Load;

/// <summary>
/// Sustained throughput against the real per-shard limits (the limits proxy in standalone mode): how much of
/// the shards' capacity the producer uses, and how often the service side still has to throttle it.
/// </summary>
internal static class SaturationRun
{
    public static async Task<int> RunAsync(LoadArguments arguments)
    {
        var exit = 0;
        foreach (var rateLimit in arguments.RateLimit is { } only ? [only] : new[] { 95, 100, 150 })
        {
            exit |= await RunOnceAsync(arguments, rateLimit);
        }

        return exit;
    }

    private static async Task<int> RunOnceAsync(LoadArguments arguments, int rateLimit)
    {
        await using var proxy = await KinesisLimitsProxy.StartStandaloneAsync(
            StandaloneStreams.Of(arguments.Stream, arguments.Shards),
            new LimitsProxyOptions { EnforceLimits = true });
        proxy.Faults.Latency = TimeSpan.FromMilliseconds(arguments.LatencyMs);
        var options = new KinesisProducerOptions
        {
            MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
            KinesisEndpoint = proxy.Endpoint,
            Region = "us-east-1",
            Credentials = new BasicAWSCredentials("AKIDLOADTEST", "secret"),
            RateLimit = rateLimit,
            MaxBufferedBytes = 32L * 1024 * 1024,
            PreserveShardOrder = arguments.PreserveShardOrder,
        };
        long failed = 0, expired = 0;
        options.OnRecordFailed = failure =>
        {
            Interlocked.Increment(ref failed);
            if (failure.ErrorCode == RecordFailure.Expired)
            {
                Interlocked.Increment(ref expired);
            }
        };
        var keys = Enumerable.Range(0, arguments.Keys).Select(i => $"key-{i:D6}").ToArray();
        var data = new byte[arguments.RecordSize];

        var warmUp = TimeSpan.FromSeconds(3);
        var measure = TimeSpan.FromSeconds(Math.Max(5, arguments.Seconds));
        await using var producer = new KinesisProducer(options);
        using var stop = new CancellationTokenSource(warmUp + measure);
        var offering = Task.Run(async () =>
        {
            var i = 0;
            while (!stop.IsCancellationRequested)
            {
                await producer.EnqueueAsync(arguments.Stream, keys[i++ % keys.Length], data);
            }
        });

        await Task.Delay(warmUp);
        var start = proxy.Stats;
        var clock = Stopwatch.StartNew();
        await Task.Delay(measure);
        var end = proxy.Stats;
        var seconds = clock.Elapsed.TotalSeconds;
        await offering;

        var limit = arguments.Shards * 1024.0 * 1024.0;
        var bytesPerSecond = (end.AcceptedBytes - start.AcceptedBytes) / seconds;
        var requests = end.PutRecordsRequests - start.PutRecordsRequests;
        var throttled = end.ThrottledPutRecordsRequests - start.ThrottledPutRecordsRequests;
        var mode = arguments.PreserveShardOrder ? ", PreserveShardOrder" : "";
        var latency = arguments.LatencyMs > 0 ? $", {arguments.LatencyMs} ms added per request" : "";
        Report.Print($"Shard saturation, RateLimit {rateLimit} %{mode}{latency}", new (string, string)[]
        {
            ("shards / record size / keys", $"{arguments.Shards} / {arguments.RecordSize} B / {arguments.Keys:N0}"),
            ("measured over", $"{seconds:F1} s after {warmUp.TotalSeconds:F0} s warm-up"),
            ("accepted", $"{bytesPerSecond / 1024 / 1024:F2} MiB/s of {limit / 1024 / 1024:F0} MiB/s"),
            ("share of the write limit", $"{bytesPerSecond / limit:P1}"),
            ("PutRecords requests", requests.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("throttled-request share", $"{(requests == 0 ? 0 : throttled / (double)requests):P2}"),
            ("throttled entries", (end.ThrottledPutRecordsEntries - start.ThrottledPutRecordsEntries).ToString(System.Globalization.CultureInfo.InvariantCulture)),
            ("records failed (expired) by the end", $"{Interlocked.Read(ref failed):N0} ({Interlocked.Read(ref expired):N0})"),
        });
        return 0;
    }
}
