using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Kinesis.Clients.Testing;

/// <summary>
/// One engine running under tools/emulators/run.js. Its standard input stays open for the life of this
/// object; run.js exits when it reads end-of-file, which the OS delivers also when the test host is killed,
/// so an engine never outlives the process that started it.
/// </summary>
internal sealed class EngineProcess : IAsyncDisposable
{
    /// <summary>The line run.js prints once the engine has bound all its ports.</summary>
    internal const string ReadyLine = "run.js: ready";

    private const int KeptLines = 60;
    private static readonly TimeSpan GracefulExit = TimeSpan.FromSeconds(3);

    private readonly Process _process;
    private readonly Queue<string> _lastLines = new();
    private readonly Lock _gate = new();
    private int _disposed;
    private int? _exitCode;
    private volatile bool _released;
    private volatile bool _ready;

    private EngineProcess(string name, Process process)
    {
        Name = name;
        _process = process;
    }

    /// <summary>Engine name used in messages, e.g. "kinesis-mock".</summary>
    public string Name { get; }

    /// <summary>OS process id of run.js.</summary>
    public int Id { get; private set; }

    /// <summary>Whether run.js (and so the engine) has exited; true after disposal.</summary>
    public bool HasExited => _released || _process.HasExited;

    /// <summary>
    /// Whether the engine has bound its own ports. Until then an HTTP answer on them could come from
    /// another process that took a port between our pick and the engine's bind.
    /// </summary>
    public bool IsReady => _ready;

    /// <summary>The exit code, once <see cref="HasExited"/> is true.</summary>
    public int ExitCode => _exitCode ?? _process.ExitCode;

    /// <summary>Starts <c>node run.js arguments...</c> in <paramref name="emulatorsDirectory"/>.</summary>
    /// <exception cref="InvalidOperationException">Node.js cannot be started.</exception>
    public static EngineProcess Start(
        string name,
        string emulatorsDirectory,
        IEnumerable<string> arguments,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var node = Environment.GetEnvironmentVariable("KINESIS_CLIENTS_NODE") is { Length: > 0 } custom ? custom : "node";
        var startInfo = new ProcessStartInfo(node)
        {
            WorkingDirectory = emulatorsDirectory,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        startInfo.ArgumentList.Add(Path.Combine(emulatorsDirectory, "run.js"));
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                startInfo.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = startInfo };
        var engine = new EngineProcess(name, process);
        // Both pipes are drained all the time: a chatty engine blocked on a full pipe would stop answering.
        process.OutputDataReceived += (_, e) => engine.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => engine.Keep(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException(
                $"Cannot start '{node}' to run {name}: {e.Message}. Node.js 20 or newer must be on PATH " +
                "(or set KINESIS_CLIENTS_NODE to the node executable).",
                e);
        }

        engine.Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return engine;
    }

    /// <summary>The engine's last lines of output (stdout and stderr interleaved), for error messages.</summary>
    public string RecentOutput()
    {
        lock (_gate)
        {
            return _lastLines.Count == 0 ? "(no output)" : string.Join(Environment.NewLine, _lastLines);
        }
    }

    /// <summary>How the engine ended, for messages: name, process id, exit code (and signal) and its last output.</summary>
    public string DescribeExit()
    {
        int? code = _exitCode ?? (_released ? null : _process.ExitCode);
        var ending = code switch
        {
            null => "exited",
            // .NET reports a child ended by signal N as 128 + N; node aborts (SIGABRT) when out of heap.
            134 => "exited with code 134 (SIGABRT, as node does when out of heap)",
            137 => "exited with code 137 (SIGKILL, e.g. the kernel's OOM killer)",
            143 => "exited with code 143 (SIGTERM, sent from outside)",
            var c => $"exited with code {c}",
        };
        return $"{Name} (pid {Id}) {ending}. Its last output:{Environment.NewLine}{RecentOutput()}";
    }

    /// <summary>Closes the engine's standard input, as the OS does when the starting process dies.</summary>
    public void CloseStandardInput() => _process.StandardInput.Close();

    /// <summary>Waits until run.js has exited.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) =>
        _process.WaitForExitAsync(cancellationToken);

    /// <summary>Kills the engine at once, without waiting; safe to call from a process-exit handler.</summary>
    public void Kill()
    {
        if (!_released)
        {
            KillTree();
        }
    }

    private void KillTree()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }
        }
        catch (InvalidOperationException)
        {
            // Already exited between the check and the kill.
        }
        catch (Win32Exception)
        {
            // Not ours to kill any more (exited and reaped).
        }
    }

    /// <summary>Asks run.js to stop by closing its input, then kills the process tree if it lingers.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                try
                {
                    CloseStandardInput();
                }
                catch (IOException)
                {
                    // The pipe is already broken: the engine is on its way out.
                }

                try
                {
                    await _process.WaitForExitAsync().WaitAsync(GracefulExit).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                    KillTree();
                    await _process.WaitForExitAsync().WaitAsync(GracefulExit).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            if (_process.HasExited)
            {
                _exitCode = _process.ExitCode;
            }

            _released = true;
            _process.Dispose();
        }
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line == ReadyLine)
        {
            _ready = true;
        }

        lock (_gate)
        {
            if (_lastLines.Count == KeptLines)
            {
                _lastLines.Dequeue();
            }

            _lastLines.Enqueue(line);
        }
    }
}
