using System.Collections.Concurrent;
using Kinesis.Clients.Benchmarks.Load;

namespace Kinesis.Clients.Soak;

/// <summary>The highest peak resident set (VmHWM) seen of each role's processes, sampled while they live.</summary>
internal sealed class PeakMemory
{
    private readonly ConcurrentDictionary<string, (long KiB, string Process)> _peaks = new(StringComparer.Ordinal);

    public void Sample(string role, string process, int pid)
    {
        var kib = ProcessMemory.PeakResidentKiB(pid);
        if (kib > 0)
        {
            _peaks.AddOrUpdate(role, (kib, process), (_, old) => kib > old.KiB ? (kib, process) : old);
        }
    }

    public void Record(string role, string process, long kib)
    {
        if (kib > 0)
        {
            _peaks.AddOrUpdate(role, (kib, process), (_, old) => kib > old.KiB ? (kib, process) : old);
        }
    }

    public IReadOnlyList<(string Role, long KiB, string Process)> Peaks =>
        _peaks.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value.KiB, p.Value.Process)).ToList();
}
