using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Kinesis.Clients.Soak;

/// <summary>The native kinesis-agent as it ships, tailing the soak's log into the stream through the limits proxy.</summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public static async Task<AgentProcess> StartAsync(string program, string work, Uri kinesis, string stream, string pattern, CancellationToken cancellationToken)
    {
        var configuration = new Dictionary<string, object>
        {
            ["checkpointDatabase"] = Path.Combine(work, "agent-state", "checkpoints.db"),
            ["kinesis.endpoint"] = kinesis.ToString(),
            ["kinesis.region"] = "us-east-1",
            ["awsAccessKeyId"] = "AKIDSOAKAGENT",
            ["awsSecretAccessKey"] = "secret",
            ["cloudwatch.emitMetrics"] = false,
            ["flows"] = new object[]
            {
                new Dictionary<string, object>
                {
                    ["filePattern"] = pattern,
                    ["kinesisStream"] = stream,
                    // FILE keys keep a file's lines in order (the promise checked); the live file and each rotated
                    // copy are keyed by their own path.
                    ["partitionKeyOption"] = "FILE",
                    ["initialPosition"] = "START_OF_FILE",
                    ["maxBufferAgeMillis"] = 1000,
                },
            },
        };
        var configPath = Path.Combine(work, "agent.json");
        await File.WriteAllTextAsync(configPath, JsonSerializer.Serialize(configuration), cancellationToken);

        var start = new ProcessStartInfo(program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("run");
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(configPath);
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        var process = Process.Start(start) ?? throw new InvalidOperationException($"{program} did not start");
        var agent = new AgentProcess(process);
        process.OutputDataReceived += (_, e) => agent.Append(e.Data);
        process.ErrorDataReceived += (_, e) => agent.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var clock = Stopwatch.StartNew();
        while (!agent.Output.Contains("kinesis-agent started", StringComparison.Ordinal))
        {
            if (process.HasExited || clock.Elapsed > TimeSpan.FromMinutes(1))
            {
                agent.Dispose();
                throw new InvalidOperationException($"kinesis-agent did not start:{Environment.NewLine}{agent.Output}");
            }

            await Task.Delay(100, cancellationToken);
        }

        return agent;
    }

    /// <summary>What the agent printed (its log), for the report when something went wrong.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>SIGTERM, as systemd stops it: it saves its checkpoints and exits.</summary>
    public async Task<int> StopAsync()
    {
        if (!_process.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await term.WaitForExitAsync();
        }

        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await _process.WaitForExitAsync(wait.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            // Keep the tail only: a long soak logs a status line per flow every 30 s.
            if (_output.Length > 200_000)
            {
                _output.Remove(0, 100_000);
            }

            _output.AppendLine(line);
        }
    }
}
