using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>Helpers for running the agent program over hostile files and reading what it said and sent.</summary>
internal static class HostileRun
{
    /// <summary>A flow over <paramref name="pattern"/> from the start of each file, flushing every second.</summary>
    public static Dictionary<string, object> Flow(string pattern, string stream) => new()
    {
        ["filePattern"] = pattern,
        ["kinesisStream"] = stream,
        ["initialPosition"] = "START_OF_FILE",
        ["maxBufferAgeMillis"] = 1000,
        ["maxTimeBetweenFileTrackerRefreshMillis"] = 1000,
    };

    /// <summary>Waits until the stream holds at least <paramref name="count"/> records and returns them as lines.</summary>
    public static async Task<List<string>> LinesAsync(AgentHarness harness, string stream, int count, AgentProcess agent)
    {
        var got = new List<string>();
        await Eventually.HoldsAsync(
            async () =>
            {
                got = (await harness.ReadStreamAsync(stream)).Select(AgentHarness.Line).ToList();
                return got.Count >= count || agent.HasExited;
            },
            () => $"{count} records in {stream}, got {got.Count}; agent output:{Environment.NewLine}{agent.Output}",
            AgentHarness.Deadline);
        Assert.False(agent.HasExited, $"the agent exited; output:{Environment.NewLine}{agent.Output}");
        return got;
    }

    /// <summary>Waits until the agent's output holds a line matching <paramref name="pattern"/>.</summary>
    public static Task OutputAsync(AgentProcess agent, string pattern) =>
        AgentHarness.WaitForAsync(
            () => Regex.IsMatch(agent.Output, pattern) || agent.HasExited,
            () => $"a line matching '{pattern}' in the agent's output:{Environment.NewLine}{agent.Output}");

    /// <summary>How many lines of the agent's output match <paramref name="pattern"/>.</summary>
    public static int Count(AgentProcess agent, string pattern) =>
        agent.Output.Split('\n').Count(line => Regex.IsMatch(line, pattern));

    /// <summary>Runs a command to its end and fails the test if it fails.</summary>
    public static void Run(string program, params string[] args)
    {
        var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEnd() + process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(' ', args)}: exit {process.ExitCode}: {output}");
    }

    /// <summary>Appends raw bytes in one write.</summary>
    public static void AppendBytes(string path, byte[] bytes)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        file.Write(bytes);
    }

    public static string Text(IEnumerable<string> lines) => string.Join(Environment.NewLine, lines);

    public static string Mebibytes(long bytes) => (bytes / 1048576.0).ToString("F1", System.Globalization.CultureInfo.InvariantCulture) + " MiB";

    public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
