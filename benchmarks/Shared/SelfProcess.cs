using System.Diagnostics;

namespace Kinesis.Clients.Benchmarks.Load;

/// <summary>Starts this same program again in another mode (a child process with a role of its own).</summary>
internal static class SelfProcess
{
    /// <summary>
    /// A start for this program with <paramref name="arguments"/>: the apphost when the program runs from it, else
    /// <c>dotnet</c> with this assembly. Standard input and output are redirected, so the child can be stopped by
    /// closing its input and can report on its output.
    /// </summary>
    public static ProcessStartInfo StartInfo(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet")
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
        };
        if (Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet")
        {
            start.ArgumentList.Add(typeof(SelfProcess).Assembly.Location);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}
