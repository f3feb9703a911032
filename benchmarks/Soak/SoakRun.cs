using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Soak;

/// <summary>The coordinator (mode <c>run</c>): sets everything up, disturbs it on a schedule, then judges and cleans up.</summary>
internal static class SoakRun
{
    public static async Task<int> RunAsync(SoakArguments arguments)
    {
        if (arguments.AgentProgram is not { } agentProgram || !File.Exists(agentProgram))
        {
            await Console.Error.WriteLineAsync("soak: the native kinesis-agent is needed: --agent PATH or KINESIS_AGENT_PROGRAM (./build.sh soak publishes it)");
            return 2;
        }

        // Ctrl-C and SIGTERM end the run early; the finally blocks below still remove everything it made.
        using var interrupted = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            Console.Error.WriteLine("soak: interrupted; cleaning up");
            interrupted.Cancel();
        }

        var cancel = interrupted.Token;
        var conditions = new SoakConditions(arguments, DateTimeOffset.UtcNow);
        var work = Directory.CreateTempSubdirectory("kinesis-soak-").FullName;
        var memory = new PeakMemory();
        var credentials = new BasicAWSCredentials("AKIDSOAK", "secret");
        LocalEngines? engines = null;
        KinesisLimitsProxy? proxy = null;
        DynamoDbSide? dynamoDb = null;
        WorkerPool? workers = null;
        ChildProcess? producer = null;
        AgentProcess? agent = null;
        string? stream = null;
        string? application = null;
        try
        {
            engines = await LocalEngines.StartAsync(cancel);
            proxy = await KinesisLimitsProxy.StartAsync(engines.KinesisEndpoint);
            dynamoDb = await DynamoDbSide.StartAsync(engines.DynamoDbEndpoint, conditions.FaultPhase, conditions.FaultPhase, cancel);
            using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = proxy.Endpoint, Region = LocalEngines.Region, Credentials = credentials });
            stream = LocalAws.UniqueName("soak");
            application = LocalAws.UniqueName("soak-app");
            await kinesis.CreateStreamAsync(stream, arguments.Shards, cancellationToken: cancel);
            await kinesis.WaitForStreamActiveAsync(stream, TimeSpan.FromMinutes(1), cancel);
            Console.WriteLine($"soak: stream {stream} ({arguments.Shards} shards) behind the limits proxy {proxy.Endpoint}; leases on {dynamoDb.Description}; work in {work}");

            var deliveries = Directory.CreateDirectory(Path.Combine(work, "deliveries")).FullName;
            workers = new WorkerPool(
                ["worker", "--kinesis", proxy.Endpoint.ToString(), "--dynamodb", dynamoDb.Endpoint.ToString(), "--stream", stream, "--application", application],
                deliveries,
                memory);
            for (var slot = 1; slot <= arguments.Workers; slot++)
            {
                await workers.StartAsync(slot, cancel);
            }

            var log = new RotatingLog(Directory.CreateDirectory(Path.Combine(work, "logs")).FullName);
            agent = await AgentProcess.StartAsync(agentProgram, work, proxy.Endpoint, stream, log.Pattern, cancel);
            producer = await ChildProcess.StartAsync(
                "producer",
                ["producer", "--kinesis", proxy.Endpoint.ToString(), "--stream", stream, "--rate", Invariant(arguments.ProducerRate), "--keys", Invariant(arguments.Keys)],
                cancel);
            Console.WriteLine($"soak: writing for {arguments.Minutes} min: producer {arguments.ProducerRate} records/s over {arguments.Keys} keys, agent log {arguments.AgentRate} lines/s, {arguments.Workers} workers");

            var ledger = new DeliveryLedger(deliveries);
            var schedule = new ProxyFaultSchedule(proxy, conditions.FaultPhase, conditions.FaultPhase);
            var windows = new List<FaultWindow>();
            var reshards = new List<(FaultWindow Window, IReadOnlyList<string> NewShards)>();
            var events = new SoakEvents(workers, agent, producer, engines, memory);
            await RunWritePhaseAsync(arguments, conditions, engines, kinesis, stream, log, schedule, dynamoDb, workers, ledger, windows, reshards, events, cancel);
            windows.AddRange(schedule.Windows);

            // Writing is over: the producer sends what it holds and reports each record's outcome.
            memory.Sample("producer service", "producer", producer.Id);
            await producer.StopAsync(TimeSpan.FromMinutes(3));
            var written = new Written { AgentLines = log.LinesWritten };
            written.ReadProducerSummary(producer.Lines);
            memory.Record("producer service", "producer", producer.Lines.Where(l => l.StartsWith("peak ", StringComparison.Ordinal)).Select(l => long.Parse(l[5..], CultureInfo.InvariantCulture)).FirstOrDefault());
            if (written.ProducerKeys.Count == 0)
            {
                throw new InvalidOperationException("the producer reported no summary: " + string.Join(" | ", producer.Lines));
            }

            var revived = await workers.ReviveAsync(cancel);
            var drained = await DrainAsync(engines, ledger, written, workers, agent, memory, conditions, cancel);
            await workers.StopAllAsync();
            memory.Sample("kinesis-agent (native)", "kinesis-agent", agent.Id);
            var agentExit = await agent.StopAsync();
            ledger.Poll();

            var lineage = (await kinesis.ListAllShardsAsync(stream, cancellationToken: CancellationToken.None))
                .SelectMany(s => new[] { (s.ShardId, s.ParentShardId), (s.ShardId, s.AdjacentParentShardId) })
                .Where(p => p.Item2 is not null)
                .Select(p => (p.ShardId, p.Item2!))
                .ToList();
            memory.Sample("soak coordinator (limits proxy, log writer, checks)", "soak", Environment.ProcessId);
            var verdict = Verdict.Judge(ledger, written, workers.Killed, windows, lineage, reshards);
            SoakReport.Print(conditions, proxy.Stats, schedule, dynamoDb, events, written, ledger, verdict, memory, drained, revived, agentExit, log);
            if (agentExit != 0)
            {
                Console.WriteLine("soak: the agent's last output:" + Environment.NewLine + agent.Output[^Math.Min(agent.Output.Length, 4000)..]);
            }

            return verdict.Passed && drained ? 0 : 1;
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("soak: interrupted before the end; no verdict");
            return 130;
        }
        catch (Exception ex) when (ex is AwsServiceException or HttpRequestException or InvalidOperationException or TimeoutException)
        {
            // The set-up itself broke (an engine gone, a call that kept failing): no verdict can be given.
            await Console.Error.WriteLineAsync($"soak: stopped without a verdict: {ex.GetType().Name}: {ex.Message}");
            return 3;
        }
        finally
        {
            // Each step on its own: one failing must not leave the others' processes or data behind.
            Try(() => agent?.Dispose());
            Try(() => producer?.Dispose());
            Try(() => workers?.Dispose());
            await TryAsync(() => CleanUpAsync(engines, proxy, stream, application, credentials));
            await TryAsync(async () => await (dynamoDb?.DisposeAsync() ?? ValueTask.CompletedTask));
            await TryAsync(async () => await (proxy?.DisposeAsync() ?? ValueTask.CompletedTask));
            await TryAsync(async () => await (engines?.DisposeAsync() ?? ValueTask.CompletedTask));
            if (arguments.Keep)
            {
                Console.WriteLine($"soak: kept {work} (delivery logs, agent log files and state)");
            }
            else
            {
                Try(() => Directory.Delete(work, recursive: true));
            }
        }
    }

    private static void Try(Action step)
    {
        try
        {
            step();
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"soak: clean-up: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static async Task TryAsync(Func<Task> step)
    {
        try
        {
            await step();
        }
        catch (Exception ex)
        {
            Console.Error.WriteLine($"soak: clean-up: {ex.GetType().Name}: {ex.Message}");
        }
    }

    private static async Task RunWritePhaseAsync(
        SoakArguments arguments,
        SoakConditions conditions,
        LocalEngines engines,
        KinesisClient kinesis,
        string stream,
        RotatingLog log,
        ProxyFaultSchedule schedule,
        DynamoDbSide dynamoDb,
        WorkerPool workers,
        DeliveryLedger ledger,
        List<FaultWindow> windows,
        List<(FaultWindow Window, IReadOnlyList<string> NewShards)> reshards,
        SoakEvents events,
        CancellationToken cancel)
    {
        using var phase = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var faults = schedule.RunAsync(phase.Token);
        var dynamoDbFaults = dynamoDb.RunScheduleAsync(phase.Token);
        var clock = Stopwatch.StartNew();
        var length = TimeSpan.FromMinutes(arguments.Minutes);
        var (split, merged) = (false, false);
        var nextKill = conditions.KillInterval;
        var nextRotation = conditions.RotationInterval;
        var nextReport = TimeSpan.FromSeconds(30);
        var slot = 0;
        var linesDue = 0.0;
        try
        {
            while (clock.Elapsed < length)
            {
                cancel.ThrowIfCancellationRequested();
                linesDue += arguments.AgentRate / 10.0;
                if (linesDue >= 1)
                {
                    log.Append((int)linesDue);
                    linesDue -= (int)linesDue;
                }

                if (clock.Elapsed >= nextRotation)
                {
                    var copy = log.RenameRotations > log.CopyTruncateRotations;
                    log.Rotate();
                    if (copy)
                    {
                        // A copy re-sends what was in flight from the original: a window for duplicates.
                        windows.Add(new FaultWindow("copytruncate", FaultWindow.Now(), FaultWindow.Now()));
                    }

                    nextRotation += conditions.RotationInterval;
                }

                if (!split && clock.Elapsed >= length * 0.3)
                {
                    split = true;
                    var reshard = await Resharding.SplitAsync(kinesis, stream, cancel);
                    windows.Add(reshard.Window);
                    reshards.Add(reshard);
                    events.Reshards++;
                }

                if (!merged && clock.Elapsed >= length * 0.6)
                {
                    merged = true;
                    var reshard = await Resharding.MergeAsync(kinesis, stream, cancel);
                    windows.Add(reshard.Window);
                    reshards.Add(reshard);
                    events.Reshards++;
                }

                if (clock.Elapsed >= nextKill)
                {
                    var killed = workers.Kill((slot++ % arguments.Workers) + 1);
                    events.Kills++;
                    windows.Add(new FaultWindow("worker kill", FaultWindow.Now(), FaultWindow.Now()));
                    Console.WriteLine($"soak: {clock.Elapsed.TotalMinutes:F1} min: SIGKILL {killed}");
                    await Task.Delay(TimeSpan.FromSeconds(3), cancel);
                    await workers.ReviveAsync(cancel);
                    nextKill += conditions.KillInterval;
                }

                if (clock.Elapsed >= nextReport)
                {
                    nextReport += TimeSpan.FromSeconds(30);
                    StopIfAnEngineExited(engines, $"{clock.Elapsed.TotalMinutes:F1} min into the run");
                    ledger.Poll();
                    events.Sample();
                    var crashed = await workers.ReviveAsync(cancel);
                    events.UnexpectedExits += crashed;
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"soak: {clock.Elapsed.TotalMinutes:F1} min: {ledger.Deliveries:N0} deliveries, agent lines written {log.LinesWritten:N0}, producer {events.ProducerProgress}, workers started {workers.Started}, engines {SoakEvents.EngineMemory(engines)}, load {SoakConditions.LoadAverage()}"));
                }

                await Task.Delay(100, cancel);
            }
        }
        finally
        {
            await phase.CancelAsync();
            await faults;
            await dynamoDbFaults;
        }
    }

    // Without its engines the run cannot say anything about the libraries: stop at once, with how the engine ended.
    private static void StopIfAnEngineExited(LocalEngines engines, string when)
    {
        if (engines.DescribeExited() is { Count: > 0 } exits)
        {
            throw new InvalidOperationException($"a local engine exited {when}: " + string.Join(Environment.NewLine, exits));
        }
    }

    private static async Task<bool> DrainAsync(LocalEngines engines, DeliveryLedger ledger, Written written, WorkerPool workers, AgentProcess agent, PeakMemory memory, SoakConditions conditions, CancellationToken cancel)
    {
        var clock = Stopwatch.StartNew();
        Console.WriteLine($"soak: writing stopped; waiting up to {conditions.Drain.TotalMinutes:F0} min for every record to be delivered");
        while (true)
        {
            ledger.Poll();
            var left = Verdict.Judge(ledger, written, workers.Killed, [], []);
            if (left.ProducerMissing == 0 && left.AgentMissing == 0)
            {
                Console.WriteLine($"soak: all delivered {clock.Elapsed.TotalSeconds:F0} s after writing stopped");
                return true;
            }

            if (clock.Elapsed > conditions.Drain)
            {
                Console.WriteLine($"soak: still missing after {conditions.Drain.TotalMinutes:F0} min: producer {left.ProducerMissing}, agent {left.AgentMissing}");
                return false;
            }

            StopIfAnEngineExited(engines, $"{clock.Elapsed.TotalMinutes:F1} min into the drain");
            workers.Sample();
            memory.Sample("kinesis-agent (native)", "kinesis-agent", agent.Id);
            await workers.ReviveAsync(cancel);
            await Task.Delay(TimeSpan.FromSeconds(5), cancel);
        }
    }

    private static async Task CleanUpAsync(LocalEngines? engines, KinesisLimitsProxy? proxy, string? stream, string? application, AWSCredentials credentials)
    {
        if (engines is null)
        {
            return;
        }

        // The engines keep nothing once stopped, but remove what the run made first, as on a shared endpoint.
        try
        {
            proxy?.Faults.Clear();
            if (stream is not null)
            {
                using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = engines.KinesisEndpoint, Region = LocalEngines.Region, Credentials = credentials });
                await kinesis.DeleteStreamAsync(stream, enforceConsumerDeletion: true).WaitAsync(TimeSpan.FromSeconds(30));
            }

            if (application is not null)
            {
                using var client = new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig { ServiceURL = engines.DynamoDbEndpoint.ToString(), AuthenticationRegion = LocalEngines.Region });
                await client.DeleteTableAsync(application).WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        catch (Exception ex) when (ex is AwsServiceException or Amazon.Runtime.AmazonServiceException or HttpRequestException or TimeoutException)
        {
            Console.Error.WriteLine($"soak: clean-up: {ex.Message}");
        }
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
