using System.Diagnostics;
using System.Text;

namespace Kinesis.Clients.Testing;

/// <summary>One command run to its end: exit code and everything it printed, cut off after a time limit.</summary>
public sealed record CommandRun(string Command, int ExitCode, string Output)
{
    /// <summary>Runs <paramref name="fileName"/> with <paramref name="arguments"/>; on time-out kills its process tree and reports exit code -1.</summary>
    public static async Task<CommandRun> RunAsync(
        string fileName,
        IEnumerable<string> arguments,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var command = $"{fileName} {string.Join(' ', start.ArgumentList)}";
        using var limit = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new CommandRun(command, -1, $"(killed after {timeout})\n{Text(output)}");
        }

        return new CommandRun(command, process.ExitCode, Text(output));
    }

    /// <summary>The command, its exit code and its output, for an assertion message.</summary>
    public override string ToString() => $"`{Command}` exited with {ExitCode}:\n{Output}";

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
