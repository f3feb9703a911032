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

    private readonly bool _underParent;

    private AgentProcess(Process process, bool underParent = false)
    {
        _process = process;
        _underParent = underParent;
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

    /// <summary>The program's process id (not under a parent shell).</summary>
    public int Id => _process.Id;

    /// <summary>The program's peak resident memory so far (<c>VmHWM</c>), in bytes.</summary>
    public long PeakResidentBytes() => StatusField("VmHWM:");

    /// <summary>The program's resident memory now (<c>VmRSS</c>), in bytes.</summary>
    public long ResidentBytes() => StatusField("VmRSS:");

    /// <summary>How many descriptors the program holds open now.</summary>
    public int OpenDescriptors() => Directory.GetFileSystemEntries($"/proc/{_process.Id}/fd").Length;

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

    public static AgentProcess Start(params string[] args) => Start(args, parent: null, environment: null);

    /// <summary>
    /// Copies the program's folder (the native program and its libraries, or the built one) into
    /// <paramref name="directory"/>, readable by every user, for a run under another uid: the checkout may sit where
    /// only its owner can read (CI's clone is under a 0700 temporary folder).
    /// </summary>
    /// <returns>The copied program file, for <c>Start(..., program:)</c>.</returns>
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public static string CopyProgramTo(string directory)
    {
        var source = NativeProgramPath ?? ProgramPath;
        var from = Path.GetDirectoryName(source)!;
        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(directory, Path.GetRelativePath(from, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }

        foreach (var folder in Directory.EnumerateDirectories(directory, "*", SearchOption.AllDirectories).Append(directory))
        {
            File.SetUnixFileMode(folder, (UnixFileMode)0x1ED); // 0755
        }

        return Path.Combine(directory, Path.GetFileName(source));
    }

    /// <summary>Starts the program, optionally as the child of a shell started through <paramref name="parent"/>.</summary>
    /// <param name="args">The program's arguments.</param>
    /// <param name="parent">
    /// A link to <c>/bin/sh</c>: the program runs as that shell's child, and the shell's process name is the link's
    /// name (as a service manager's would be). <see cref="Kill"/> and <see cref="Terminate"/> still reach the program.
    /// </param>
    /// <param name="environment">Variables to add to the program's environment.</param>
    /// <param name="launcher">
    /// A command that runs the rest and becomes the program by <c>exec</c> (<c>setpriv</c>, <c>prlimit</c>, <c>sh -c '…; exec "$@"'</c>),
    /// so the program keeps the started process's id.
    /// </param>
    /// <param name="program">The program file to run instead of the built one (a copy of it, see <see cref="CopyProgramTo"/>).</param>
    public static AgentProcess Start(string[] args, string? parent, IReadOnlyDictionary<string, string>? environment, IReadOnlyList<string>? launcher = null, string? program = null)
    {
        var native = NativeProgramPath;
        var command = new List<string>(launcher ?? []);
        if (native is null)
        {
            command.Add("dotnet");
            command.Add(program ?? ProgramPath);
        }
        else
        {
            command.Add(program ?? native);
        }

        command.AddRange(args);
        var info = new ProcessStartInfo(parent ?? command[0])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (parent is not null)
        {
            // Two commands, so the shell waits for the program rather than replacing itself with it.
            info.ArgumentList.Add("-c");
            info.ArgumentList.Add("\"$@\"; exit $?");
            info.ArgumentList.Add(Path.GetFileName(parent));
        }

        foreach (var arg in parent is null ? command.Skip(1) : command)
        {
            info.ArgumentList.Add(arg);
        }

        // No real AWS from tests: the configuration names the local endpoint and keys; CloudWatch is off in it.
        info.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        return new AgentProcess(Process.Start(info) ?? throw new InvalidOperationException($"{info.FileName} did not start"), parent is not null);
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
        using var kill = Process.Start("kill", ["-TERM", ProgramId.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    // The program's own process: the shell's only child when it runs under a parent shell.
    private int ProgramId
    {
        get
        {
            if (!_underParent)
            {
                return _process.Id;
            }

            var children = File.ReadAllText($"/proc/{_process.Id}/task/{_process.Id}/children").Split(' ', StringSplitOptions.RemoveEmptyEntries);
            return children.Length == 1
                ? int.Parse(children[0], System.Globalization.CultureInfo.InvariantCulture)
                : throw new InvalidOperationException($"the parent shell has {children.Length} children, not the program alone");
        }
    }

    private long StatusField(string name)
    {
        var line = File.ReadLines($"/proc/{_process.Id}/status").First(l => l.StartsWith(name, StringComparison.Ordinal));
        return long.Parse(line[name.Length..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024;
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
