using System.Globalization;
using System.Net.Sockets;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Testing.Tests.Engines;

[Trait("Category", "Engine")]
public sealed class LocalEnginesLauncherTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);
    private readonly List<string> _temporaryFolders = [];

    [Fact]
    public async Task Disposing_the_engines_stops_both_processes_and_frees_their_ports()
    {
        var engines = await LocalEngines.StartAsync().WaitAsync(Timeout);
        var processIds = engines.Processes.Select(p => p.Id).ToList();
        Assert.True(await AcceptsConnectionsAsync(engines.KinesisEndpoint));
        Assert.True(await AcceptsConnectionsAsync(engines.DynamoDbEndpoint));

        await engines.DisposeAsync().AsTask().WaitAsync(Timeout);

        Assert.All(engines.Processes, p => Assert.True(p.HasExited, $"{p.Name} still runs"));
        Assert.All(processIds, id => Assert.False(IsRunning(id), $"process {id} still runs"));
        Assert.False(await AcceptsConnectionsAsync(engines.KinesisEndpoint));
        Assert.False(await AcceptsConnectionsAsync(engines.DynamoDbEndpoint));
    }

    [Theory]
    [InlineData("TERM", "exited with code", "stopping (SIGTERM)")]
    [InlineData("KILL", "exited with code 137 (SIGKILL", "kinesis-mock starting")]
    public async Task An_engine_that_goes_away_while_running_is_described_with_how_it_ended(string signal, string ending, string output)
    {
        await using var engines = await LocalEngines.StartAsync().WaitAsync(Timeout);
        Assert.Empty(engines.DescribeExited());
        var kinesis = engines.Processes.Single(p => p.Name == "kinesis-mock");
        Assert.Equal(kinesis.Id, engines.ProcessIds["kinesis-mock"]);

        using (var kill = System.Diagnostics.Process.Start("kill", ["-" + signal, kinesis.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync().WaitAsync(Timeout);
        }

        await kinesis.WaitForExitAsync().WaitAsync(Timeout);
        var exit = Assert.Single(engines.DescribeExited());
        Assert.StartsWith($"kinesis-mock (pid {kinesis.Id}) {ending}", exit, StringComparison.Ordinal);
        Assert.Contains(output, exit, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("kinesis")]
    [InlineData("dynamodb")]
    public async Task An_engine_exits_when_its_starter_closes_the_input_pipe(string engine)
    {
        // The OS closes the pipe the same way when the test host crashes or is killed.
        var root = RepositoryRoot.Find(AppContext.BaseDirectory);
        string[] arguments = engine == "kinesis"
            ? [engine, FreePort.Next().ToString(CultureInfo.InvariantCulture), FreePort.Next().ToString(CultureInfo.InvariantCulture)]
            : [engine, FreePort.Next().ToString(CultureInfo.InvariantCulture)];
        await using var process = EngineProcess.Start(engine, RepositoryRoot.EmulatorsDirectory(root), arguments);

        process.CloseStandardInput();
        await process.WaitForExitAsync().WaitAsync(Timeout);

        Assert.Equal(0, process.ExitCode);
        Assert.Contains("stdin closed", process.RecentOutput(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Starting_without_installed_engines_says_how_to_install_them()
    {
        var root = FakeRepository(installed: false, runJs: "");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(
            () => LocalEngines.StartAsync(root, TimeSpan.FromSeconds(5), CancellationToken.None).WaitAsync(Timeout));

        Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        Assert.Contains("./build.sh", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(root, "tools", "emulators"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_that_exits_early_is_reported_with_its_exit_code_and_output()
    {
        var root = FakeRepository(installed: true, runJs: "console.error('engine broke: ' + process.argv[2]); process.exit(3);");

        var error = await Assert.ThrowsAnyAsync<Exception>(
            () => LocalEngines.StartAsync(root, TimeSpan.FromSeconds(30), CancellationToken.None).WaitAsync(Timeout));

        var messages = error is AggregateException all ? string.Join("\n", all.InnerExceptions.Select(e => e.Message)) : error.Message;
        Assert.Contains("exited with code 3", messages, StringComparison.Ordinal);
        Assert.Contains("engine broke: kinesis", messages, StringComparison.Ordinal);
        Assert.Contains("engine broke: dynamodb", messages, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_that_never_answers_times_out_with_its_output()
    {
        // Ignores its input, so disposal has to kill it; it ends itself later in case this test host is killed.
        var root = FakeRepository(installed: true, runJs: "console.log('warming up forever'); setTimeout(() => process.exit(0), 20000);");

        var error = await Assert.ThrowsAnyAsync<Exception>(
            () => LocalEngines.StartAsync(root, TimeSpan.FromSeconds(1), CancellationToken.None).WaitAsync(Timeout));

        var timeouts = error is AggregateException all ? all.InnerExceptions : [error];
        Assert.All(timeouts, e =>
        {
            Assert.IsType<TimeoutException>(e);
            Assert.Contains("did not answer", e.Message, StringComparison.Ordinal);
            Assert.Contains("warming up forever", e.Message, StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task An_engine_that_fails_to_bind_is_started_again_on_new_ports()
    {
        // The first start of each engine fails as if its port had been taken; the next one is the real engine.
        var realRunner = Path.Combine(RepositoryRoot.EmulatorsDirectory(RepositoryRoot.Find(AppContext.BaseDirectory)), "run.js");
        var root = FakeRepository(installed: true, runJs: $$"""
            const fs = require('fs');
            const marker = 'attempted-' + process.argv[2];
            if (!fs.existsSync(marker)) {
              fs.writeFileSync(marker, '');
              console.error('EADDRINUSE (simulated)');
              process.exit(1);
            }
            require({{System.Text.Json.JsonSerializer.Serialize(realRunner)}});
            """);

        await using var engines = await LocalEngines.StartAsync(root, TimeSpan.FromSeconds(60), CancellationToken.None).WaitAsync(Timeout);

        Assert.True(await AcceptsConnectionsAsync(engines.KinesisEndpoint));
        Assert.True(await AcceptsConnectionsAsync(engines.DynamoDbEndpoint));
        Assert.True(File.Exists(Path.Combine(root, "tools", "emulators", "attempted-kinesis")));
        Assert.True(File.Exists(Path.Combine(root, "tools", "emulators", "attempted-dynamodb")));
    }

    [Fact]
    public async Task An_answer_on_the_port_before_the_engine_is_ready_is_not_taken_for_the_engine()
    {
        // Someone else's server on the port must not pass for the engine: only after run.js says it has
        // bound its ports does the launcher probe them.
        var root = FakeRepository(installed: true, runJs: """
            process.stdin.on('end', () => process.exit(0)).resume();
            const http = require('http');
            const port = Number(process.argv[3]);
            http.createServer((req, res) => res.end('{}')).listen(port, '127.0.0.1', () => console.log('listening, never ready'));
            """);

        var error = await Assert.ThrowsAnyAsync<Exception>(
            () => LocalEngines.StartAsync(root, TimeSpan.FromSeconds(2), CancellationToken.None).WaitAsync(Timeout));

        var failures = error is AggregateException all ? all.InnerExceptions : [error];
        Assert.All(failures, e => Assert.IsType<TimeoutException>(e));
    }

    [Fact]
    public void The_repository_root_is_found_from_a_nested_folder()
    {
        var root = FakeRepository(installed: false, runJs: "");
        var nested = Directory.CreateDirectory(Path.Combine(root, "tests", "X", "bin", "Release")).FullName;

        Assert.Equal(root, RepositoryRoot.Find(nested));
    }

    [Fact]
    public void Outside_a_checkout_the_error_names_the_missing_solution()
    {
        var outside = NewTemporaryFolder();

        var error = Assert.Throws<InvalidOperationException>(() => RepositoryRoot.Find(outside));

        Assert.Contains(RepositoryRoot.SolutionFileName, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Free_ports_are_distinct_and_bindable()
    {
        var ports = FreePort.Next(8);

        Assert.Equal(8, ports.Distinct().Count());
        foreach (var port in ports)
        {
            var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
            listener.Start();
            listener.Stop();
        }
    }

    public void Dispose()
    {
        foreach (var folder in _temporaryFolders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private string FakeRepository(bool installed, string runJs)
    {
        var root = NewTemporaryFolder();
        File.WriteAllText(Path.Combine(root, RepositoryRoot.SolutionFileName), "");
        var emulators = Directory.CreateDirectory(Path.Combine(root, "tools", "emulators")).FullName;
        File.WriteAllText(Path.Combine(emulators, "run.js"), runJs);
        if (installed)
        {
            foreach (var package in new[] { "kinesis-local", "dynalite" })
            {
                var folder = Directory.CreateDirectory(Path.Combine(emulators, "node_modules", package)).FullName;
                File.WriteAllText(Path.Combine(folder, "package.json"), "{}");
            }
        }

        return root;
    }

    private string NewTemporaryFolder()
    {
        var folder = Directory.CreateTempSubdirectory("kc-kit-").FullName;
        _temporaryFolders.Add(folder);
        return folder;
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static async Task<bool> AcceptsConnectionsAsync(Uri endpoint)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync(endpoint.Host, endpoint.Port).WaitAsync(TimeSpan.FromSeconds(5));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
