using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Kinesis.Clients;
using Kinesis.Clients.Agent;
using Kinesis.Clients.Agent.Configuration;
using Kinesis.Clients.Consumer;
using Kinesis.Clients.Demo;
using Kinesis.Clients.Testing;

// The showcase: kinesis-agent tails a log that an application writes and rotates (rename/create, as
// logrotate does) plus an Apache access log converted to JSON; a KinesisConsumer worker (leases in DynamoDB)
// reads the stream; at the end, lines written are compared with records received.
var seconds = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var s) ? s : 8;
var deadline = TimeSpan.FromSeconds(120);
var aws = await LocalAws.GetAsync().WaitAsync(deadline);
Console.WriteLine(aws.IsExternal
    ? $"Using the endpoint in {LocalAws.EndpointVariable}: {aws.KinesisEndpoint}"
    : $"Started kinesis-mock at {aws.KinesisEndpoint} and dynalite at {aws.DynamoDbEndpoint}");

using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = aws.KinesisEndpoint, Region = aws.Region, Credentials = aws.Credentials });
var stream = LocalAws.UniqueName("demo-agent");
await kinesis.CreateStreamAsync(stream, shardCount: 2).WaitAsync(deadline);
await kinesis.WaitForStreamActiveAsync(stream, deadline).WaitAsync(deadline);
Console.WriteLine($"Created stream {stream} with 2 shards");

var work = Directory.CreateTempSubdirectory("kinesis-agent-demo-").FullName;
var logs = Directory.CreateDirectory(Path.Combine(work, "logs")).FullName;
var appLog = Path.Combine(logs, "app.log");
var accessLog = Path.Combine(logs, "access.log");
File.WriteAllBytes(appLog, []);
File.WriteAllBytes(accessLog, []);

var credentials = aws.Credentials.GetCredentials();
var agentJson = JsonSerializer.Serialize(new Dictionary<string, object>
{
    ["checkpointDatabase"] = Path.Combine(work, "state", "checkpoints.db"),
    ["kinesis.endpoint"] = aws.KinesisEndpoint.ToString(),
    ["kinesis.region"] = aws.Region,
    ["awsAccessKeyId"] = credentials.AccessKey,
    ["awsSecretAccessKey"] = credentials.SecretKey,
    ["cloudwatch.emitMetrics"] = false,
    ["flows"] = new object[]
    {
        new Dictionary<string, object>
        {
            ["filePattern"] = appLog,
            ["kinesisStream"] = stream,
            ["partitionKeyOption"] = "FILE",
            ["initialPosition"] = "START_OF_FILE",
            ["maxBufferAgeMillis"] = 1000,
        },
        new Dictionary<string, object>
        {
            ["filePattern"] = Path.Combine(logs, "access*.log"),
            ["kinesisStream"] = stream,
            ["initialPosition"] = "START_OF_FILE",
            ["maxBufferAgeMillis"] = 1000,
            ["dataProcessingOptions"] = new object[] { new Dictionary<string, object> { ["optionName"] = "LOGTOJSON", ["logFormat"] = "COMMONAPACHELOG" } },
        },
    },
}, new JsonSerializerOptions { WriteIndented = true });
var configFile = Path.Combine(work, "agent.json");
File.WriteAllText(configFile, agentJson);
Console.WriteLine($"Agent configuration: {configFile}");

var received = new ConcurrentBag<(string Key, string Text)>();
await using var consumer = new KinesisConsumer(
    new KinesisConsumerOptions
    {
        ApplicationName = LocalAws.UniqueName("demo-app"),
        StreamName = stream,
        InitialPosition = Kinesis.Clients.Consumer.InitialPosition.TrimHorizon,
        Region = aws.Region,
        KinesisEndpoint = aws.KinesisEndpoint,
        DynamoDbEndpoint = aws.DynamoDbEndpoint,
        Credentials = aws.Credentials,
        MetricsLevel = Kinesis.Clients.Metrics.MetricsLevel.None,
    },
    new CountingProcessor(received));
using var stopConsumer = new CancellationTokenSource();
var consuming = consumer.RunAsync(stopConsumer.Token);

var agent = new AgentEngine(AgentConfigurationLoader.Load(configFile), new AgentEngineOptions { EmitCloudWatchMetrics = false });
agent.Start();
Console.WriteLine($"Agent started; writing for {seconds} s (app.log rotated every 2 s)");

// The application: app.log lines in bursts, rotated by rename/create every 2 s; an access log alongside.
var written = new List<string>();
var accessWritten = 0;
var clock = Stopwatch.StartNew();
var rotations = 0;
var lastRotation = TimeSpan.Zero;
for (var burst = 0; clock.Elapsed < TimeSpan.FromSeconds(seconds); burst++)
{
    var lines = Enumerable.Range(0, 200).Select(i => $"{DateTime.UtcNow:O} INFO request {burst * 200 + i} served in {i % 37} ms").ToList();
    Append(appLog, lines);
    written.AddRange(lines);
    Append(accessLog, Enumerable.Range(0, 20).Select(i =>
        $"10.0.{burst % 256}.{i} - frank [{DateTime.UtcNow.ToString("dd/MMM/yyyy:HH:mm:ss", CultureInfo.InvariantCulture)} +0000] \"GET /item/{burst * 20 + i} HTTP/1.1\" 200 {512 + i}"));
    accessWritten += 20;
    if (clock.Elapsed - lastRotation >= TimeSpan.FromSeconds(2))
    {
        File.Move(appLog, $"{appLog}.{++rotations}");
        File.WriteAllBytes(appLog, []);
        lastRotation = clock.Elapsed;
    }

    await Task.Delay(50);
}

var total = written.Count + accessWritten;
Console.WriteLine($"Wrote {written.Count} app.log lines ({rotations} rotations) and {accessWritten} access.log lines; waiting for the consumer");
var wait = Stopwatch.StartNew();
while (received.Count < total && wait.Elapsed < deadline)
{
    await Task.Delay(250);
}

if (received.Count < total)
{
    foreach (var (flow, files) in agent.Progress())
    {
        foreach (var file in files)
        {
            Console.WriteLine($"  {file.Path}: size {file.Size}, read {file.ReadOffset}, acknowledged {file.AcknowledgedOffset}, records {file.RecordsRead}");
        }
    }
}

await agent.DisposeAsync();
await stopConsumer.CancelAsync();
await consuming;

var appReceived = received.Where(r => r.Key == appLog).Select(r => r.Text).ToList();
var jsonReceived = received.Where(r => r.Key != appLog).Select(r => r.Text).ToList();
// Each record is the line as the Java agent sends it: with its '\n'.
var missing = written.Select(line => line + "\n").Except(appReceived).Count();
Console.WriteLine();
Console.WriteLine("A converted access-log record, as the consumer received it:");
Console.WriteLine("  " + jsonReceived.FirstOrDefault()?.TrimEnd('\n') + "   (and its \\n)");
Console.WriteLine();
Console.WriteLine($"app.log:    {written.Count} lines written, {appReceived.Count} records received, {missing} missing, {appReceived.Count - appReceived.Distinct().Count()} duplicates");
Console.WriteLine($"access.log: {accessWritten} lines written, {jsonReceived.Count} records received (JSON)");
Console.WriteLine($"agent:      {agent.Metrics.ForStream(stream).RecordsSent} records sent, {agent.Metrics.ForStream(stream).ProcessingErrors} processing errors");

await kinesis.DeleteStreamAsync(stream).WaitAsync(deadline);
Directory.Delete(work, recursive: true);
return missing == 0 && jsonReceived.Count >= accessWritten ? 0 : 1;

static void Append(string path, IEnumerable<string> lines)
{
    using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
    file.Write(System.Text.Encoding.UTF8.GetBytes(string.Concat(lines.Select(l => l + "\n"))));
}
