using System.Diagnostics;
using System.Globalization;
using Kinesis.Clients.Benchmarks.Load;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>
/// What a worker costs in DynamoDB requests when nothing happens: one idle worker holding every lease of an
/// idle stream, its requests counted in front of DynamoDB over a steady window and scaled to one shard-hour.
/// </summary>
internal static class LeaseCallsRun
{
    private static readonly TimeSpan SettleDeadline = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(LoadArguments arguments)
    {
        await using var backend = await Backend.StartAsync(arguments);
        var stream = await backend.CreateStreamAsync("consumer-leases", arguments.Shards);
        await using var forwarder = await CountingForwarder.StartAsync(backend.DynamoDbEndpoint);

        var failover = TimeSpan.FromSeconds(arguments.FailoverSeconds);
        var factory = new CountingProcessorFactory();
        var options = backend.ConsumerOptions(stream, backend.NewApplication("consumer-leases"), "w1", failover, forwarder.Endpoint);
        var consumer = new KinesisConsumer(options, factory);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => consumer.RunAsync(stop.Token));
        try
        {
            var settle = Stopwatch.StartNew();
            while (factory.ActiveShards.Count < arguments.Shards)
            {
                if (settle.Elapsed > SettleDeadline || run.IsCompleted)
                {
                    Console.Error.WriteLine($"The worker holds {factory.ActiveShards.Count} of {arguments.Shards} shards after {settle.Elapsed.TotalSeconds:F0} s.");
                    return 1;
                }

                await Task.Delay(50);
            }

            // Past the first lease rounds and initial checkpoints, so the window sees only the steady cycle.
            await Task.Delay(failover);
            var before = forwarder.Counts;
            var clock = Stopwatch.StartNew();
            await Task.Delay(TimeSpan.FromSeconds(arguments.Seconds));
            var after = forwarder.Counts;
            var seconds = clock.Elapsed.TotalSeconds;

            var perShardHour = 3600.0 / seconds / arguments.Shards;
            var operations = after.Keys.Select(op => (Op: op, Count: after[op] - before.GetValueOrDefault(op))).Where(o => o.Count > 0).OrderByDescending(o => o.Count).ToList();
            var total = operations.Sum(o => o.Count);
            var rows = new List<(string, string)>
            {
                ("backend", backend.Description),
                ("cores", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
                ("worker", $"1 worker, {arguments.Shards} shards, no traffic, failover {failover.TotalSeconds:F0} s, renewal every {options.EffectiveRenewalInterval.TotalSeconds:F1} s, shard sync every {options.ShardSyncInterval.TotalSeconds:F0} s"),
                ("window", $"{seconds:F1} s"),
                ("DynamoDB requests in the window", total.ToString("N0", CultureInfo.InvariantCulture)),
                ("per shard-hour", $"{total * perShardHour:N0}"),
            };
            rows.AddRange(operations.Select(o => ($"  {o.Op}", $"{o.Count:N0} in the window, {o.Count * perShardHour:N0} per shard-hour")));
            Report.Print("DynamoDB requests at steady state", rows);
            return 0;
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }
}
