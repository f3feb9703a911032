using System.Globalization;

namespace Kinesis.Clients.Soak;

/// <summary>What the coordinator did and saw during the run, and the memory samples of every process.</summary>
internal sealed class SoakEvents(WorkerPool workers, AgentProcess agent, ChildProcess producer, PeakMemory memory)
{
    public int Kills { get; set; }

    public int Reshards { get; set; }

    public int UnexpectedExits { get; set; }

    public string ProducerProgress =>
        producer.Lines.LastOrDefault(l => l.StartsWith("progress ", StringComparison.Ordinal)) is { } line
            && line.Split(' ') is { Length: 5 } f
            ? $"{long.Parse(f[1], CultureInfo.InvariantCulture):N0} put, {long.Parse(f[2], CultureInfo.InvariantCulture):N0} acknowledged, {f[3]} failed, {f[4]} outstanding"
            : "starting";

    /// <summary>The local engines (node processes started by this one) still running, by name.</summary>
    public static IReadOnlyList<string> RunningEngines() => Children().Select(c => c.Name).Order(StringComparer.Ordinal).ToList();

    public void Sample()
    {
        workers.Sample();
        if (!agent.HasExited)
        {
            memory.Sample("kinesis-agent (native)", "kinesis-agent", agent.Id);
        }
        else
        {
            UnexpectedExits++;
        }

        if (!producer.HasExited)
        {
            memory.Sample("producer service", "producer", producer.Id);
        }

        memory.Sample("soak coordinator (limits proxy, log writer, checks)", "soak", Environment.ProcessId);
        foreach (var (pid, name) in Children())
        {
            memory.Sample("engine: " + name, name, pid);
        }
    }

    // The engines run under node as children of this process (or of a shell it started); found by parent id.
    private static IEnumerable<(int Pid, string Name)> Children()
    {
        var self = Environment.ProcessId;
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            string stat;
            try
            {
                stat = File.ReadAllText(Path.Combine(dir, "stat"));
            }
            catch (IOException)
            {
                continue;
            }

            var close = stat.LastIndexOf(')');
            var fields = stat[(close + 2)..].Split(' ');
            var name = stat[(stat.IndexOf('(', StringComparison.Ordinal) + 1)..close];
            if (int.Parse(fields[1], CultureInfo.InvariantCulture) == self && name.StartsWith("node", StringComparison.Ordinal))
            {
                string cmdline;
                try
                {
                    cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                }
                catch (IOException)
                {
                    continue;
                }

                yield return (pid, cmdline.Contains("dynamodb", StringComparison.Ordinal) || cmdline.Contains("dynalite", StringComparison.Ordinal) ? "dynalite" : "kinesis-mock");
            }
        }
    }
}
