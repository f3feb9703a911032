using System.Diagnostics;
using System.Globalization;
using Kinesis.Clients.Benchmarks.Load;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>
/// How long a stream goes partly unprocessed when one of two workers goes away: killed (its leases must expire,
/// so about the failover time plus one lease-taking round), or shut down gracefully (it releases its leases, so
/// one lease-taking round). <c>--runs N</c> repeats both and prints min / median / max.
/// </summary>
internal static class TakeoverRun
{
    private static readonly TimeSpan BalanceDeadline = TimeSpan.FromSeconds(120);

    public static async Task<int> RunAsync(LoadArguments arguments)
    {
        await using var backend = await Backend.StartAsync(arguments);
        var stream = await backend.CreateStreamAsync("consumer-takeover", arguments.Shards);
        var failover = TimeSpan.FromSeconds(arguments.FailoverSeconds);
        var abrupt = new List<Outcome>();
        var graceful = new List<Outcome>();
        for (var run = 1; run <= arguments.Runs; run++)
        {
            abrupt.Add(await AbruptAsync(backend, stream, arguments.Shards, arguments.FailoverSeconds));
            graceful.Add(await GracefulAsync(backend, stream, arguments.Shards, failover));
            Console.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"run {run}: killed {Seconds(abrupt[^1].Takeover)}, graceful {Seconds(graceful[^1].Takeover)} (leaver's processors {Seconds(graceful[^1].ProcessorsStopped)}, RunAsync {Seconds(graceful[^1].Stopped)}; balanced {Seconds(abrupt[^1].Balanced)} / {Seconds(graceful[^1].Balanced)})"));
        }

        Report.Print("Takeover, two workers", new (string, string)[]
        {
            ("backend", backend.Description),
            ("cores / load average", $"{Environment.ProcessorCount} / {LoadAverage()}"),
            ("stream / failover time", $"{arguments.Shards} shards / {failover.TotalSeconds:F0} s"),
            ("runs", arguments.Runs.ToString(CultureInfo.InvariantCulture)),
            ("killed worker: balanced after", Summary(abrupt.Select(o => o.Balanced))),
            ("killed worker: all shards after the kill", Summary(abrupt.Select(o => o.Takeover))),
            ("graceful shutdown: balanced after", Summary(graceful.Select(o => o.Balanced))),
            ("graceful shutdown: all shards after cancelling", Summary(graceful.Select(o => o.Takeover))),
            ("graceful shutdown: leaver's processors shut down after", Summary(graceful.Select(o => o.ProcessorsStopped))),
            ("graceful shutdown: RunAsync returned after", Summary(graceful.Select(o => o.Stopped))),
        });
        return 0;
    }

    // min / median / max over the runs that got there, and how many did not.
    private static string Summary(IEnumerable<TimeSpan?> values)
    {
        var all = values.ToList();
        var done = all.OfType<TimeSpan>().Select(t => t.TotalSeconds).Order().ToList();
        if (done.Count == 0)
        {
            return $"none within {BalanceDeadline.TotalSeconds:F0} s";
        }

        var median = done.Count % 2 == 1 ? done[done.Count / 2] : (done[(done.Count / 2) - 1] + done[done.Count / 2]) / 2;
        var missed = all.Count - done.Count;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"min {done[0]:F1} s, median {median:F1} s, max {done[^1]:F1} s{(missed > 0 ? $", {missed} not within {BalanceDeadline.TotalSeconds:F0} s" : "")}");
    }

    private static string Seconds(TimeSpan? value) =>
        value is { } v ? string.Create(CultureInfo.InvariantCulture, $"{v.TotalSeconds:F1} s") : "-";

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

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
            child.Kill(entireProcessTree: true);
            var takeover = await WaitAsync(() => factory.ActiveShards.Count == shards, BalanceDeadline);
            return new Outcome(balanced, takeover, null, null);
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
            var clock = Stopwatch.StartNew();
            var stopped = leaverRun.ContinueWith(_ => clock.Elapsed, TaskScheduler.Default);
            await stopLeaver.CancelAsync();
            var processorsGone = WaitAsync(() => leaverFactory.ActiveShards.IsEmpty, BalanceDeadline);
            var takeover = await WaitAsync(() => keeperFactory.ActiveShards.Count == shards, BalanceDeadline);
            return new Outcome(balanced, takeover, await stopped, await processorsGone);
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

    private sealed record Outcome(TimeSpan? Balanced, TimeSpan? Takeover, TimeSpan? Stopped, TimeSpan? ProcessorsStopped);
}
