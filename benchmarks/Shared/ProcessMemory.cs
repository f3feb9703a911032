using System.Globalization;

namespace Kinesis.Clients.Benchmarks.Load;

/// <summary>Memory of a process as Linux reports it in <c>/proc/PID/status</c>.</summary>
internal static class ProcessMemory
{
    /// <summary>The resident set now (<c>VmRSS</c>), in KiB; 0 once the process is gone.</summary>
    public static long ResidentKiB(int pid) => StatusKiB(pid, "VmRSS");

    /// <summary>The peak resident set over the process's life so far (<c>VmHWM</c>), in KiB; 0 once the process is gone.</summary>
    public static long PeakResidentKiB(int pid) => StatusKiB(pid, "VmHWM");

    // A "Name:   1234 kB" line of /proc/PID/status, in KiB; 0 once the process is gone.
    private static long StatusKiB(int pid, string name)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith(name + ":", StringComparison.Ordinal))
                {
                    return long.Parse(line.AsSpan(name.Length + 1).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
                }
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
        }

        return 0;
    }
}
