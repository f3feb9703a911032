using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>Lines appended to tailed files arrive in the stream, once each, in order per file.</summary>
[Trait("Category", "Engine")]
public sealed class DeliveryTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public DeliveryTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Every_line_appended_to_several_files_arrives_once_in_order_per_file()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(4);
        string[] deep = [harness.PathOf("logs/web/app.log"), harness.PathOf("logs/web/eu/west/app.log"), harness.PathOf("logs/db.log")];
        var plain = harness.PathOf("plain/events.txt");
        foreach (var file in deep.Append(plain))
        {
            AgentHarness.Append(file, [$"before start {file}"]);
        }

        var json = harness.ConfigJson(
        [
            new Dictionary<string, object>
            {
                ["filePattern"] = Path.Combine(harness.Directory, "logs/**/*.log"),
                ["kinesisStream"] = stream,
                ["partitionKeyOption"] = "FILE",
                ["initialPosition"] = "START_OF_FILE",
                ["maxBufferAgeMillis"] = 1000,
            },
            new Dictionary<string, object>
            {
                ["filePattern"] = Path.Combine(harness.Directory, "plain/*.txt"),
                ["kinesisStream"] = stream,
                ["partitionKeyOption"] = "FILE",
                ["maxBufferAgeMillis"] = 1000,
            },
        ]);

        var expected = new Dictionary<string, List<string>>();
        foreach (var file in deep)
        {
            expected[file] = [$"before start {file}"];
        }

        expected[plain] = [];
        await using (var agent = harness.StartAgent(json))
        {
            // The END_OF_FILE flow skips what its file held at start; wait until it has opened the file.
            await AgentHarness.WaitForAsync(() => agent.Progress().Sum(f => f.Files.Count) == 4, "all four files to be tailed");
            for (var round = 0; round < 20; round++)
            {
                foreach (var file in expected.Keys)
                {
                    var lines = Enumerable.Range(0, 50).Select(i => $"{Path.GetFileName(Path.GetDirectoryName(file))}/{Path.GetFileName(file)} round {round} line {i}").ToList();
                    AgentHarness.Append(file, lines);
                    expected[file].AddRange(lines);
                }
            }

            var total = expected.Values.Sum(l => l.Count);
            await AgentHarness.WaitForAsync(
                () => agent.Metrics.ForStream(stream).RecordsSent >= total,
                () => $"{total} records to be acknowledged: {agent.Metrics.ForStream(stream).RecordsSent} so far; {AgentHarness.Describe(agent)}");
        }

        var records = await harness.ReadStreamAsync(stream);
        foreach (var (file, lines) in expected)
        {
            var arrived = records.Where(r => r.PartitionKey == file).Select(AgentHarness.Line).ToList();
            Assert.Equal(lines, arrived);
        }

        Assert.Equal(expected.Values.Sum(l => l.Count), records.Count);
    }

    [Fact]
    public async Task A_restarted_agent_resumes_after_the_last_acknowledged_line_without_duplicates()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        var log = harness.PathOf("app/app.log");
        AgentHarness.Append(log, Enumerable.Range(0, 500).Select(i => $"first {i}"));
        var json = harness.ConfigJson(
        [
            new Dictionary<string, object>
            {
                ["filePattern"] = Path.Combine(harness.Directory, "app/*.log"),
                ["kinesisStream"] = stream,
                ["initialPosition"] = "START_OF_FILE",
                ["maxBufferAgeMillis"] = 1000,
            },
        ]);

        await using (var agent = harness.StartAgent(json))
        {
            await AgentHarness.WaitForAsync(() => agent.Metrics.ForStream(stream).RecordsSent >= 500, "the first 500 lines");
        }

        AgentHarness.Append(log, Enumerable.Range(0, 300).Select(i => $"second {i}"));
        await using (var agent = harness.StartAgent(json))
        {
            await AgentHarness.WaitForAsync(() => agent.Metrics.ForStream(stream).RecordsSent >= 300, "the next 300 lines");
        }

        var lines = (await harness.ReadStreamAsync(stream)).Select(AgentHarness.Line).ToList();
        Assert.Equal(
            Enumerable.Range(0, 500).Select(i => $"first {i}").Concat(Enumerable.Range(0, 300).Select(i => $"second {i}")),
            lines);
    }
}
