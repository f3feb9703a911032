using System.Globalization;
using Kinesis.Clients.Benchmarks.Load;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Soak;

/// <summary>What the coordinator did and saw during the run, and the memory samples of every process.</summary>
internal sealed class SoakEvents(WorkerPool workers, AgentProcess agent, ChildProcess producer, LocalEngines engines, PeakMemory memory)
{
    public int Kills { get; set; }

    public int Reshards { get; set; }

    public int UnexpectedExits { get; set; }

    public string ProducerProgress =>
        producer.Lines.LastOrDefault(l => l.StartsWith("progress ", StringComparison.Ordinal)) is { } line
            && line.Split(' ') is { Length: 5 } f
            ? $"{long.Parse(f[1], CultureInfo.InvariantCulture):N0} put, {long.Parse(f[2], CultureInfo.InvariantCulture):N0} acknowledged, {f[3]} failed, {f[4]} outstanding"
            : "starting";

    /// <summary>The engines' resident memory now, e.g. "kinesis-mock 231 MiB, dynalite 61 MiB", for the progress lines.</summary>
    public static string EngineMemory(LocalEngines engines) =>
        string.Join(", ", engines.ProcessIds.Select(e => string.Create(CultureInfo.InvariantCulture, $"{e.Key} {ProcessMemory.ResidentKiB(e.Value) / 1024} MiB")));

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
        foreach (var (name, pid) in engines.ProcessIds)
        {
            memory.Sample("engine: " + name, name, pid);
        }
    }
}
