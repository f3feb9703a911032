using System.Globalization;

namespace Kinesis.Clients.Soak;

/// <summary>The consumer workers, each a child process in slot 1..N; an incarnation is named <c>wSLOT-N</c>.</summary>
internal sealed class WorkerPool(IReadOnlyList<string> baseArguments, string deliveries, PeakMemory memory) : IDisposable
{
    private readonly Dictionary<int, ChildProcess> _slots = [];
    private readonly Dictionary<int, int> _incarnations = [];

    public HashSet<string> Killed { get; } = new(StringComparer.Ordinal);

    public int Started { get; private set; }

    public int Alive => _slots.Values.Count(c => !c.HasExited);

    public async Task StartAsync(int slot, CancellationToken cancellationToken)
    {
        var n = _incarnations[slot] = _incarnations.GetValueOrDefault(slot) + 1;
        var name = string.Create(CultureInfo.InvariantCulture, $"w{slot}-{n}");
        var arguments = baseArguments.Concat(["--name", name, "--out", Path.Combine(deliveries, name + ".log")]);
        _slots[slot] = await ChildProcess.StartAsync(name, arguments, cancellationToken);
        Started++;
    }

    /// <summary>SIGKILL the worker in <paramref name="slot"/>, after reading its peak memory.</summary>
    public string Kill(int slot)
    {
        var child = _slots[slot];
        memory.Sample("consumer worker", child.Name, child.Id);
        child.Kill();
        child.Dispose();
        Killed.Add(child.Name);
        return child.Name;
    }

    public void Sample()
    {
        foreach (var child in _slots.Values.Where(c => !c.HasExited))
        {
            memory.Sample("consumer worker", child.Name, child.Id);
        }
    }

    /// <summary>Restarts any worker that is not running (a crash is reported by the caller from the count).</summary>
    public async Task<int> ReviveAsync(CancellationToken cancellationToken)
    {
        var revived = 0;
        foreach (var slot in _slots.Where(s => s.Value.HasExited).Select(s => s.Key).ToList())
        {
            await StartAsync(slot, cancellationToken);
            revived++;
        }

        return revived;
    }

    public async Task StopAllAsync()
    {
        Sample();
        await Task.WhenAll(_slots.Values.Select(c => c.StopAsync(TimeSpan.FromSeconds(60))));
    }

    public void Dispose()
    {
        foreach (var child in _slots.Values)
        {
            child.Dispose();
        }
    }
}
