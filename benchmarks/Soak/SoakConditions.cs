namespace Kinesis.Clients.Soak;

/// <summary>The run's settings and the schedule derived from its length.</summary>
internal sealed class SoakConditions(SoakArguments arguments, DateTimeOffset started)
{
    public SoakArguments Arguments { get; } = arguments;

    public DateTimeOffset Started { get; } = started;

    /// <summary>How long each fault lasts, and each calm stretch between two: 15 s in a short run, up to 30 s.</summary>
    public TimeSpan FaultPhase { get; } = TimeSpan.FromSeconds(Math.Clamp(arguments.Minutes * 5, 15, 30));

    /// <summary>A worker is killed this often (in turn), and restarted 3 s later.</summary>
    public TimeSpan KillInterval { get; } = TimeSpan.FromSeconds(Math.Clamp(arguments.Minutes * 10, 30, 60));

    public TimeSpan RotationInterval { get; } = TimeSpan.FromSeconds(20);

    public TimeSpan Drain { get; } = TimeSpan.FromMinutes(arguments.DrainMinutes);

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";
}
