using System.Globalization;

namespace Kinesis.Clients.Testing;

/// <summary>
/// kinesis-mock (LocalStack's Kinesis engine) and dynalite (DynamoDB), installed from npm under
/// tools/emulators and run as plain processes on free loopback ports. Most tests want the one shared
/// instance from <see cref="LocalAws.GetAsync"/> instead of starting their own.
/// </summary>
public sealed class LocalEngines : IAsyncDisposable
{
    /// <summary>The region the engines are addressed in (kinesis-mock's default).</summary>
    public const string Region = "us-east-1";

    internal static readonly TimeSpan DefaultStartTimeout = TimeSpan.FromSeconds(60);

    // A port picked as free can be taken before the engine binds it; the engine then exits and we retry.
    private const int StartAttempts = 3;
    private static readonly TimeSpan ProbeInterval = TimeSpan.FromMilliseconds(100);

    private static readonly EngineSpec KinesisSpec = new(
        "kinesis-mock",
        PortCount: 2,
        ports => ["kinesis", Port(ports[0]), Port(ports[1])],
        endpoint => EngineProbe.KinesisListStreams(endpoint, Region));

    private static readonly EngineSpec DynamoDbSpec = new(
        "dynalite",
        PortCount: 1,
        ports => ["dynamodb", Port(ports[0])],
        EngineProbe.DynamoDbListTables);

    private readonly EngineProcess _kinesis;
    private readonly EngineProcess _dynamoDb;

    private LocalEngines(StartedEngine kinesis, StartedEngine dynamoDb)
    {
        _kinesis = kinesis.Process;
        _dynamoDb = dynamoDb.Process;
        KinesisEndpoint = kinesis.Endpoint;
        DynamoDbEndpoint = dynamoDb.Endpoint;
    }

    /// <summary>kinesis-mock's HTTP endpoint (JSON 1.1 and CBOR 1.1), e.g. <c>http://127.0.0.1:34567/</c>.</summary>
    public Uri KinesisEndpoint { get; }

    /// <summary>dynalite's HTTP endpoint, e.g. <c>http://127.0.0.1:34568/</c>.</summary>
    public Uri DynamoDbEndpoint { get; }

    /// <summary>Set to <c>1</c> (as <c>./build.sh unit</c> does), the engines refuse to start.</summary>
    public const string NoEnginesVariable = "KINESIS_CLIENTS_NO_ENGINES";

    /// <summary>The xunit trait value (<c>[Trait("Category", "Engine")]</c>) of test classes that need the engines.</summary>
    public const string EngineCategory = "Engine";

    /// <summary>
    /// Starts both engines and returns once each answers HTTP. Fails with the engine's last output when one
    /// exits early or does not answer within 60 seconds.
    /// </summary>
    /// <exception cref="InvalidOperationException">
    /// The repository root or the npm install of the engines cannot be found, Node.js cannot be started, or
    /// an engine exited before answering.
    /// </exception>
    /// <exception cref="TimeoutException">An engine did not answer in time.</exception>
    public static Task<LocalEngines> StartAsync(CancellationToken cancellationToken = default) =>
        StartAsync(repositoryRoot: null, DefaultStartTimeout, cancellationToken);

    /// <summary>Starts the engines from the given checkout (or the one the tests run from, when null).</summary>
    internal static async Task<LocalEngines> StartAsync(string? repositoryRoot, TimeSpan timeout, CancellationToken cancellationToken)
    {
        // The fast loop (./build.sh unit) leaves out tests marked as needing the engines; one not marked would
        // otherwise quietly start them and make the loop slow.
        if (Environment.GetEnvironmentVariable(NoEnginesVariable) == "1")
        {
            throw new InvalidOperationException(
                $"{NoEnginesVariable}=1 (./build.sh unit): the local engines are not started. A test class that needs them " +
                $"carries [Trait(\"Category\", \"{EngineCategory}\")], which the fast loop leaves out.");
        }

        var root = repositoryRoot ?? RepositoryRoot.Find(AppContext.BaseDirectory);
        var emulators = RepositoryRoot.EmulatorsDirectory(root);

        var kinesis = StartEngineAsync(KinesisSpec, emulators, timeout, cancellationToken);
        var dynamoDb = StartEngineAsync(DynamoDbSpec, emulators, timeout, cancellationToken);
        try
        {
            await Task.WhenAll(kinesis, dynamoDb).ConfigureAwait(false);
        }
        catch
        {
            foreach (var started in new[] { kinesis, dynamoDb })
            {
                if (started.IsCompletedSuccessfully)
                {
                    await started.Result.Process.DisposeAsync().ConfigureAwait(false);
                }
            }

            var failures = new[] { kinesis, dynamoDb }
                .Where(t => t.IsFaulted)
                .SelectMany(t => t.Exception!.InnerExceptions)
                .ToList();
            if (failures.Count > 1)
            {
                throw new AggregateException("Neither local AWS engine started.", failures);
            }

            throw;
        }

        return new LocalEngines(kinesis.Result, dynamoDb.Result);
    }

    /// <summary>Stops both engines (closing their input, then killing any that linger) and waits for them to exit.</summary>
    public async ValueTask DisposeAsync()
    {
        await Task.WhenAll(_kinesis.DisposeAsync().AsTask(), _dynamoDb.DisposeAsync().AsTask()).ConfigureAwait(false);
    }

    /// <summary>
    /// One line per engine that is no longer running: its name, process id, exit code and last lines of output (an
    /// uncaught error's stack, node's out-of-memory message, the signal that stopped it). Empty while both run. For
    /// long runs that must stop, and say why, as soon as an engine goes away.
    /// </summary>
    public IReadOnlyList<string> DescribeExited() =>
        [.. Processes.Where(p => p.HasExited).Select(p => p.DescribeExit())];

    /// <summary>The engines' process ids by name (kinesis-mock, dynalite), e.g. for memory samples.</summary>
    public IReadOnlyDictionary<string, int> ProcessIds => Processes.ToDictionary(p => p.Name, p => p.Id, StringComparer.Ordinal);

    /// <summary>Kills both engines without waiting; for process-exit handlers, where nothing can be awaited.</summary>
    internal void Kill()
    {
        _kinesis.Kill();
        _dynamoDb.Kill();
    }

    /// <summary>The engine processes, for tests of the launcher itself.</summary>
    internal IReadOnlyList<EngineProcess> Processes => [_kinesis, _dynamoDb];

    private static async Task<StartedEngine> StartEngineAsync(
        EngineSpec spec,
        string emulators,
        TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        // Engines take the region from the request; pin the default so a developer's AWS_REGION cannot leak in.
        var environment = new Dictionary<string, string?> { ["AWS_REGION"] = Region };

        for (var attempt = 1; ; attempt++)
        {
            var ports = FreePort.Next(spec.PortCount);
            var endpoint = new Uri($"http://127.0.0.1:{Port(ports[0])}/");
            var process = EngineProcess.Start(spec.Name, emulators, spec.Arguments(ports), environment);
            try
            {
                while (!process.HasExited)
                {
                    if (process.IsReady &&
                        await EngineProbe.AnswersAsync(() => spec.Probe(endpoint), deadline.Token).ConfigureAwait(false))
                    {
                        return new StartedEngine(process, endpoint);
                    }

                    await Task.Delay(ProbeInterval, deadline.Token).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                await process.DisposeAsync().ConfigureAwait(false);
                throw new TimeoutException(
                    $"{spec.Name} did not answer on {endpoint} within {timeout.TotalSeconds:0} s " +
                    $"(attempt {attempt} of {StartAttempts}). Its last output:{Environment.NewLine}{process.RecentOutput()}");
            }
            catch
            {
                await process.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            // Exited before answering; wait for the output pipes to drain so the message shows why.
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            var exitCode = process.ExitCode;
            var output = process.RecentOutput();
            await process.DisposeAsync().ConfigureAwait(false);
            if (attempt == StartAttempts)
            {
                throw new InvalidOperationException(
                    $"{spec.Name} exited with code {exitCode} before answering on {endpoint} " +
                    $"(attempt {attempt} of {StartAttempts}). Its last output:{Environment.NewLine}{output}");
            }
        }
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private sealed record EngineSpec(
        string Name,
        int PortCount,
        Func<int[], string[]> Arguments,
        Func<Uri, HttpRequestMessage> Probe);

    private sealed record StartedEngine(EngineProcess Process, Uri Endpoint);
}
