using System.Diagnostics;

namespace Kinesis.Clients.Benchmarks.Load;

/// <summary>Runs this program again under <c>taskset -c 0</c>, so every thread of the measured code shares one core.</summary>
internal static class PinnedRun
{
    private const string Marker = "KINESIS_LOAD_PINNED";
    private const string CoresVariable = "KINESIS_LOAD_CORES";

    /// <summary>The machine's cores, as seen before pinning (a pinned process sees one).</summary>
    public static int MachineCores =>
        int.TryParse(Environment.GetEnvironmentVariable(CoresVariable), System.Globalization.CultureInfo.InvariantCulture, out var cores)
            ? cores
            : Environment.ProcessorCount;

    public static bool ShouldRelaunch() =>
        OperatingSystem.IsLinux()
        && Environment.ProcessorCount > 1
        && Environment.GetEnvironmentVariable(Marker) is null
        && Environment.GetEnvironmentVariable("LOAD_NO_PIN") is null
        && File.Exists("/usr/bin/taskset");

    public static async Task<int> RelaunchOnFirstCoreAsync()
    {
        var start = new ProcessStartInfo("/usr/bin/taskset") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add("0");
        start.ArgumentList.Add(Environment.ProcessPath ?? "dotnet");
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(PinnedRun).Assembly.Location);
        }

        foreach (var arg in Environment.GetCommandLineArgs().Skip(1))
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment[Marker] = "1";
        start.Environment[CoresVariable] = Environment.ProcessorCount.ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var child = Process.Start(start) ?? throw new InvalidOperationException("Could not start taskset.");
        await child.WaitForExitAsync();
        return child.ExitCode;
    }
}
