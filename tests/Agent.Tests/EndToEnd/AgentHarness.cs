using System.Text;
using System.Text.Json;
using Kinesis.Clients.Agent.Configuration;
using Kinesis.Clients.Testing;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>A temporary directory of log files, a stream in the local engine, and agents to run over them.</summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    private readonly List<TestStream> _streams = [];

    private AgentHarness(LocalAws aws, KinesisClient client, string directory)
    {
        Aws = aws;
        Client = client;
        Directory = directory;
    }

    public LocalAws Aws { get; }

    public KinesisClient Client { get; }

    /// <summary>A fresh directory for the files and the checkpoint database.</summary>
    public string Directory { get; }

    public string CheckpointFile => Path.Combine(Directory, "state", "checkpoints.db");

    /// <summary>Where the agents look for a Java agent checkpoint database to import (none unless a test writes one).</summary>
    public string JavaCheckpointFile => Path.Combine(Directory, "java", "checkpoints");

    public static AgentHarness Create(LocalAws aws)
    {
        var directory = Path.Combine(Path.GetTempPath(), "kinesis-agent-tests", Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var client = new KinesisClient(new KinesisClientOptions { ServiceUrl = aws.KinesisEndpoint, Region = aws.Region, Credentials = aws.Credentials });
        return new AgentHarness(aws, client, directory);
    }

    /// <summary>A new stream, deleted when the harness is disposed.</summary>
    public async Task<string> NewStreamAsync(int shards)
    {
        var stream = await Aws.NewStreamAsync(shards, "agent", through: Client).WaitAsync(Deadline);
        lock (_streams)
        {
            _streams.Add(stream);
        }

        return stream.Name;
    }

    public string PathOf(string relative)
    {
        var path = Path.Combine(Directory, relative);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        return path;
    }

    /// <summary>An agent.json for the local engine with the given flows (objects serialised as JSON).</summary>
    public string ConfigJson(IEnumerable<object> flows, Uri? endpoint = null, Dictionary<string, object>? extra = null)
    {
        var credentials = Aws.Credentials.GetCredentials();
        var document = new Dictionary<string, object>
        {
            ["checkpointDatabase"] = CheckpointFile,
            ["checkpointFile"] = JavaCheckpointFile,
            ["kinesis.endpoint"] = (endpoint ?? Aws.KinesisEndpoint).ToString(),
            ["kinesis.region"] = Aws.Region,
            ["awsAccessKeyId"] = credentials.AccessKey,
            ["awsSecretAccessKey"] = credentials.SecretKey,
            ["cloudwatch.emitMetrics"] = false,
            ["flows"] = flows.ToArray(),
        };
        foreach (var (key, value) in extra ?? [])
        {
            document[key] = value;
        }

        return JsonSerializer.Serialize(document);
    }

    /// <summary>What an agent is doing, for time-out messages.</summary>
    public static string Describe(AgentEngine agent) => string.Join("; ", agent.Progress().SelectMany(f => f.Files.Select(p =>
        $"{f.FlowId} {p.Path}: size {p.Size}, read {p.ReadOffset}, acknowledged {p.AcknowledgedOffset}, records {p.RecordsRead}")))
        + $"; producer outstanding {agent.Producer.OutstandingRecords}";

    public AgentEngine StartAgent(string json)
    {
        var config = AgentConfigurationLoader.Parse(json, "agent.json");
        // AGENT_TEST_LOG=1 prints the agent's log (debug level) while a test runs.
        var loggers = Environment.GetEnvironmentVariable("AGENT_TEST_LOG") == "1"
            ? Microsoft.Extensions.Logging.LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Debug))
            : null;
        var engine = new AgentEngine(config, new AgentEngineOptions { EmitCloudWatchMetrics = false, LoggerFactory = loggers });
        engine.Start();
        return engine;
    }

    public string WriteConfigFile(string json)
    {
        var path = PathOf("etc/agent.json");
        File.WriteAllText(path, json);
        return path;
    }

    public Task<List<StreamRecord>> ReadStreamAsync(string stream) => StreamContents.ReadAllAsync(Client, stream).WaitAsync(Deadline);

    public static Task WaitForAsync(Func<bool> condition, string what, TimeSpan? deadline = null) =>
        WaitForAsync(condition, () => what, deadline);

    /// <summary>Waits for <paramref name="condition"/>; on time-out, <paramref name="describe"/> says what was seen.</summary>
    public static Task WaitForAsync(Func<bool> condition, Func<string> describe, TimeSpan? deadline = null) =>
        Eventually.HoldsAsync(condition, describe, deadline ?? Deadline);

    /// <summary>
    /// A record read back as the line it came from: the record must end in the line's '\n' (the Java agent's bytes),
    /// which is removed; a record without one shows as such and fails any comparison with a line.
    /// </summary>
    public static string Line(StreamRecord record)
    {
        var text = Encoding.UTF8.GetString(record.Data.Span);
        return text.EndsWith('\n') ? text[..^1] : text + " <no line break>";
    }

    /// <summary>Appends lines (each with its '\n') in one write, as a logger flushing a buffer would.</summary>
    public static void Append(string path, IEnumerable<string> lines)
    {
        using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        var bytes = Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n")));
        file.Write(bytes);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by a killed agent process; the temp directory is cleaned by the OS.
        }

        foreach (var stream in _streams)
        {
            await stream.DisposeAsync();
        }
    }
}
