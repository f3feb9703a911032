using System.Collections.Concurrent;
using System.Diagnostics;
using Kinesis.Clients.Benchmarks.Load;

namespace Kinesis.Clients.Soak;

/// <summary>
/// This program in another role (<c>worker</c>, <c>producer</c>) as a child process: it says <c>started</c> when
/// ready, stops gracefully when its standard input closes, and its other output lines are kept for the caller.
/// </summary>
internal sealed class ChildProcess : IDisposable
{
    private readonly Process _process;
    private readonly TaskCompletionSource _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _reading;
    private bool _disposed;

    private ChildProcess(string name, Process process)
    {
        Name = name;
        _process = process;
        _reading = Task.Run(async () =>
        {
            while (await process.StandardOutput.ReadLineAsync().ConfigureAwait(false) is { } line)
            {
                if (line == "started")
                {
                    _started.TrySetResult();
                }
                else
                {
                    Lines.Enqueue(line);
                }
            }

            _started.TrySetException(new InvalidOperationException($"{name} exited before it started"));
        });
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _disposed || _process.HasExited;

    /// <summary>Lines the child printed, besides <c>started</c>.</summary>
    public ConcurrentQueue<string> Lines { get; } = new();

    /// <summary>Whether it was killed (SIGKILL) rather than stopped.</summary>
    public bool Killed { get; private set; }

    public static async Task<ChildProcess> StartAsync(string name, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var child = new ChildProcess(name, Process.Start(SelfProcess.StartInfo(arguments)) ?? throw new InvalidOperationException($"{name} did not start"));
        try
        {
            await child._started.Task.WaitAsync(TimeSpan.FromMinutes(2), cancellationToken);
        }
        catch
        {
            child.Dispose();
            throw;
        }

        return child;
    }

    /// <summary>SIGKILL: no shutdown, no checkpoint, leases left to expire.</summary>
    public void Kill()
    {
        Killed = true;
        _process.Kill();
        _process.WaitForExit();
    }

    /// <summary>Closes its input (a graceful stop) and waits, killing it after <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            _process.StandardInput.Close();
            using var wait = new CancellationTokenSource(timeout);
            try
            {
                await _process.WaitForExitAsync(wait.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill();
                await _process.WaitForExitAsync();
            }
        }

        await _reading.WaitAsync(TimeSpan.FromSeconds(10)).ContinueWith(_ => { }, TaskScheduler.Default);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        _process.Dispose();
    }
}
