using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>samples/ConsumerDump run as a separate worker process, its stdout parsed line by line.</summary>
internal sealed class DumpProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _errors = new();

    private DumpProcess(Process process) => _process = process;

    /// <summary>Each record line: shard, sequence, sub-sequence, partition key and data as text.</summary>
    public ConcurrentQueue<(string Shard, string Sequence, long SubSequence, string PartitionKey, string Data)> Records { get; } = new();

    /// <summary>The stream of each record line, in the order of <see cref="Records"/>.</summary>
    public ConcurrentQueue<string> Streams { get; } = new();

    public string Errors
    {
        get
        {
            lock (_errors)
            {
                return _errors.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static DumpProcess Start(WorkerKit kit, string workerId) => Start(kit.Aws, [kit.Stream], kit.Application, workerId);

    /// <summary>A dump of <paramref name="streams"/>: more than one runs it in multi-stream mode.</summary>
    public static DumpProcess Start(LocalAws aws, IReadOnlyList<string> streams, string application, string workerId)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            DllPath(),
            "--kinesis-endpoint", aws.KinesisEndpoint.ToString(),
            "--dynamodb-endpoint", aws.DynamoDbEndpoint.ToString(),
            "--region", aws.Region,
            "--application", application,
            "--position", "TRIM_HORIZON",
            "--worker-id", workerId,
            "--failover-ms", ((int)WorkerKit.Failover.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        })
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var stream in streams)
        {
            info.ArgumentList.Add("--stream");
            info.ArgumentList.Add(stream);
        }

        // The engines check only that requests are signed; fixed keys keep the machine's own out of it.
        info.Environment["AWS_ACCESS_KEY_ID"] = "AKIDLOCALTEST";
        info.Environment["AWS_SECRET_ACCESS_KEY"] = "local-test-secret-key";
        var process = new Process { StartInfo = info };
        var dump = new DumpProcess(process);
        process.OutputDataReceived += (_, e) => dump.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) =>
        {
            lock (dump._errors)
            {
                dump._errors.AppendLine(e.Data);
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return dump;
    }

    /// <summary>Asks for a graceful shutdown, as a service manager does.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async Task<int> WaitForExitAsync(TimeSpan within)
    {
        await _process.WaitForExitAsync().WaitAsync(within);
        return _process.ExitCode;
    }

    /// <summary>An abrupt crash: no shutdown, no release, no last checkpoint.</summary>
    public void Kill() => _process.Kill(entireProcessTree: true);

    public static string DllPath()
    {
        // tests/Consumer.Tests/bin/<configuration>/<framework>/ mirrors samples/ConsumerDump/bin/<configuration>/<framework>/.
        var framework = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var configuration = framework.Parent!;
        var root = configuration.Parent;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Kinesis.Clients.sln")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var dll = Path.Combine(root.FullName, "samples", "ConsumerDump", "bin", configuration.Name, framework.Name, "Kinesis.Clients.ConsumerDump.dll");
        Assert.True(File.Exists(dll), $"{dll} is missing; build samples/ConsumerDump");
        return dll;
    }

    private void OnLine(string? line)
    {
        if (string.IsNullOrEmpty(line))
        {
            return;
        }

        using var json = JsonDocument.Parse(line);
        var root = json.RootElement;
        // Before the record, so that a reader who sees the record sees its stream.
        Streams.Enqueue(root.GetProperty("stream").GetString()!);
        Records.Enqueue((
            root.GetProperty("shard").GetString()!,
            root.GetProperty("sequence").GetString()!,
            root.GetProperty("subSequence").GetInt64(),
            root.GetProperty("partitionKey").GetString()!,
            Encoding.UTF8.GetString(root.GetProperty("data").GetBytesFromBase64())));
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        _process.Dispose();
    }
}
