using System.Diagnostics;
using System.Globalization;
using Kinesis.Clients.Benchmarks.Load;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>
/// How long a stream goes partly unprocessed when one of two workers goes away: killed (its leases must expire,
/// so about the failover time plus one lease-taking round), or shut down gracefully (it releases its leases, so
/// one lease-taking round).
/// </summary>
internal static class TakeoverRun
{
    private static readonly TimeSpan BalanceDeadline = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(LoadArguments arguments)
    {
        await using var backend = await Backend.StartAsync(arguments);
        var stream = await backend.CreateStreamAsync("consumer-takeover", arguments.Shards);
        var failover = TimeSpan.FromSeconds(arguments.FailoverSeconds);

        var abrupt = await AbruptAsync(backend, stream, arguments.Shards, arguments.FailoverSeconds);
        var graceful = await GracefulAsync(backend, stream, arguments.Shards, failover);

        Report.Print("Takeover, two workers", new (string, string)[]
        {
            ("backend", backend.Description),
            ("cores", Environment.ProcessorCount.ToString(CultureInfo.InvariantCulture)),
            ("stream / failover time", $"{arguments.Shards} shards / {failover.TotalSeconds:F0} s (leases taken every {failover.TotalSeconds / 2:F0} s)"),
            ("killed worker: balanced after", abrupt.Balanced),
            ("killed worker: all shards after", abrupt.Takeover),
            ("graceful shutdown: balanced after", graceful.Balanced),
            ("graceful shutdown: all shards after", graceful.Takeover),
            ("graceful shutdown: RunAsync returned after", graceful.Stopped),
        });
        return 0;
    }

    private static async Task<Outcome> AbruptAsync(Backend backend, string stream, int shards, int failoverSeconds)
    {
        var application = backend.NewApplication("takeover-abrupt");
        var childShards = 0;
        using var child = WorkerProcess.Start(backend, stream, application, "child", failoverSeconds);
        var reading = Task.Run(async () =>
        {
            while (await child.StandardOutput.ReadLineAsync() is { } line)
            {
                if (line.StartsWith("shards ", StringComparison.Ordinal))
                {
                    Volatile.Write(ref childShards, int.Parse(line.AsSpan(7), CultureInfo.InvariantCulture));
                }
            }
        });

        var factory = new CountingProcessorFactory();
        var survivor = new KinesisConsumer(backend.ConsumerOptions(stream, application, "survivor", TimeSpan.FromSeconds(failoverSeconds)), factory);
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => survivor.RunAsync(stop.Token));
        try
        {
            var balanced = await BalanceAsync(() => Volatile.Read(ref childShards), () => factory.ActiveShards.Count, shards);
            var held = Volatile.Read(ref childShards);
            child.Kill(entireProcessTree: true);
            var takeover = await WaitAsync(() => factory.ActiveShards.Count == shards, BalanceDeadline);
            return new Outcome(
                balanced is { } b ? $"{b.TotalSeconds:F1} s (child {held}, survivor {shards - held})" : $"not within {BalanceDeadline.TotalSeconds:F0} s (child {held})",
                takeover is { } t ? $"{t.TotalSeconds:F1} s after the kill" : $"not within {BalanceDeadline.TotalSeconds:F0} s ({factory.ActiveShards.Count} of {shards})",
                "");
        }
        finally
        {
            await stop.CancelAsync();
            await run;
            await reading;
        }
    }

    private static async Task<Outcome> GracefulAsync(Backend backend, string stream, int shards, TimeSpan failover)
    {
        var application = backend.NewApplication("takeover-graceful");
        var keeperFactory = new CountingProcessorFactory();
        var leaverFactory = new CountingProcessorFactory();
        var keeper = new KinesisConsumer(backend.ConsumerOptions(stream, application, "keeper", failover), keeperFactory);
        var leaver = new KinesisConsumer(backend.ConsumerOptions(stream, application, "leaver", failover), leaverFactory);
        using var stopKeeper = new CancellationTokenSource();
        using var stopLeaver = new CancellationTokenSource();
        var keeperRun = Task.Run(() => keeper.RunAsync(stopKeeper.Token));
        var leaverRun = Task.Run(() => leaver.RunAsync(stopLeaver.Token));
        try
        {
            var balanced = await BalanceAsync(() => leaverFactory.ActiveShards.Count, () => keeperFactory.ActiveShards.Count, shards);
            var held = leaverFactory.ActiveShards.Count;
            var clock = Stopwatch.StartNew();
            await stopLeaver.CancelAsync();
            var stopped = leaverRun.ContinueWith(_ => clock.Elapsed, TaskScheduler.Default);
            var takeover = await WaitAsync(() => keeperFactory.ActiveShards.Count == shards, BalanceDeadline);
            return new Outcome(
                balanced is { } b ? $"{b.TotalSeconds:F1} s (leaver {held}, keeper {shards - held})" : $"not within {BalanceDeadline.TotalSeconds:F0} s (leaver {held})",
                takeover is { } t ? $"{t.TotalSeconds:F1} s after cancelling" : $"not within {BalanceDeadline.TotalSeconds:F0} s ({keeperFactory.ActiveShards.Count} of {shards})",
                $"{(await stopped).TotalMilliseconds:F0} ms after cancelling");
        }
        finally
        {
            await stopKeeper.CancelAsync();
            await stopLeaver.CancelAsync();
            await Task.WhenAll(keeperRun, leaverRun);
        }
    }

    // Both workers hold leases and together all of them; then, for a while, an even split if the balancer gets there.
    private static async Task<TimeSpan?> BalanceAsync(Func<int> leaving, Func<int> staying, int shards)
    {
        var clock = Stopwatch.StartNew();
        if (await WaitAsync(() => leaving() > 0 && staying() > 0 && leaving() + staying() == shards, BalanceDeadline) is null)
        {
            return null;
        }

        await WaitAsync(() => leaving() == shards / 2 && staying() == shards - (shards / 2), TimeSpan.FromSeconds(30));
        return clock.Elapsed;
    }

    // Elapsed time until the condition holds, or null at the deadline.
    private static async Task<TimeSpan?> WaitAsync(Func<bool> condition, TimeSpan deadline)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > deadline)
            {
                return null;
            }

            await Task.Delay(20);
        }

        return clock.Elapsed;
    }

    private sealed record Outcome(string Balanced, string Takeover, string Stopped);
}
