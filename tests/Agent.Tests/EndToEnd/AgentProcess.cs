using System.Diagnostics;
using System.Text;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The real <c>kinesis-agent</c> program run as a child process: the natively compiled program named by
/// <c>KINESIS_AGENT_PROGRAM</c> (what ships; <c>./build.sh test</c> publishes it and sets the variable), otherwise
/// <c>dotnet kinesis-agent.dll</c> as built beside the tests.
/// </summary>
internal sealed class AgentProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private AgentProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>Everything the process wrote so far (stdout and stderr).</summary>
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

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// The program as built in its own project folder (the test project references it, so it is built first, in the
    /// same configuration). Its copy next to the tests cannot run: the testing kit's ASP.NET Core framework
    /// reference keeps some of the program's libraries out of this folder.
    /// </summary>
    public static string ProgramPath
    {
        get
        {
            var tests = new DirectoryInfo(AppContext.BaseDirectory);
            var framework = tests.Name;
            var configuration = tests.Parent!.Name;
            for (var directory = tests; directory is not null; directory = directory.Parent)
            {
                if (File.Exists(Path.Combine(directory.FullName, "Kinesis.Clients.sln")))
                {
                    var path = Path.Combine(directory.FullName, "src", "Agent", "bin", configuration, framework, "kinesis-agent.dll");
                    return File.Exists(path) ? path : throw new InvalidOperationException($"The agent program is not built: {path} is missing.");
                }
            }

            throw new InvalidOperationException($"No repository checkout above {AppContext.BaseDirectory}.");
        }
    }

    /// <summary>The published native program from <c>KINESIS_AGENT_PROGRAM</c>, or <see langword="null"/> when unset.</summary>
    public static string? NativeProgramPath
    {
        get
        {
            var path = Environment.GetEnvironmentVariable("KINESIS_AGENT_PROGRAM");
            if (string.IsNullOrEmpty(path))
            {
                return null;
            }

            return File.Exists(path) ? Path.GetFullPath(path) : throw new InvalidOperationException($"KINESIS_AGENT_PROGRAM names {path}, which does not exist.");
        }
    }

    public static AgentProcess Start(params string[] args)
    {
        var native = NativeProgramPath;
        var info = new ProcessStartInfo(native ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (native is null)
        {
            info.ArgumentList.Add(ProgramPath);
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        // No real AWS from tests: the configuration names the local endpoint and keys; CloudWatch is off in it.
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        return new AgentProcess(Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start"));
    }

    /// <summary>Runs to the end and returns the exit code and what it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(60));
        return (code, process.Output);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cancel.Token);

        // The asynchronous readers may still hold the last lines; the parameterless wait drains them.
        _process.WaitForExit();
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no flush, no checkpoint, as a crash or an OOM kill.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    /// <summary>SIGTERM, as systemd stops a service.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
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
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
