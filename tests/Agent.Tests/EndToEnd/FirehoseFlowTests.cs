using System.Text;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// A Kinesis flow and Firehose flows in one agent.json over the same file: the delivery streams receive the same
/// record bytes as the Kinesis stream, joined records hold whole lines, and a restart resumes at the checkpoints.
/// </summary>
[Trait("Category", "Engine")]
public sealed class FirehoseFlowTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public FirehoseFlowTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Kinesis_and_Firehose_flows_deliver_the_same_lines_through_a_restart()
    {
        await using var harness = AgentHarness.Create(_aws);
        await using var firehose = await LoopbackFirehose.StartAsync();
        firehose.CreateDeliveryStream("plain");
        firehose.CreateDeliveryStream("joined");
        var stream = await harness.NewStreamAsync(1);
        var file = harness.PathOf("logs/app.log");
        var pattern = Path.Combine(harness.Directory, "logs/*.log");
        var json = harness.ConfigJson(
            [
                new Dictionary<string, object> { ["filePattern"] = pattern, ["kinesisStream"] = stream, ["partitionKeyOption"] = "FILE", ["initialPosition"] = "START_OF_FILE", ["maxBufferAgeMillis"] = 1000 },
                new Dictionary<string, object> { ["filePattern"] = pattern, ["deliveryStream"] = "plain", ["initialPosition"] = "START_OF_FILE", ["maxBufferAgeMillis"] = 1000 },
                new Dictionary<string, object> { ["filePattern"] = pattern, ["deliveryStream"] = "joined", ["initialPosition"] = "START_OF_FILE", ["maxBufferAgeMillis"] = 1000, ["aggregatedRecordSizeBytes"] = 1024 },
            ],
            extra: new() { ["firehose.endpoint"] = firehose.Endpoint.ToString() });
        var lines = new List<string>();

        for (var run = 0; run < 2; run++)
        {
            var batch = Enumerable.Range(0, 300).Select(i => $"run {run} line {i} {new string('x', i % 40)} ü").ToList();
            AgentHarness.Append(file, batch);
            lines.AddRange(batch);
            await using var agent = harness.StartAgent(json);
            await AgentHarness.WaitForAsync(
                () => agent.Metrics.ForDestination(DestinationKind.DeliveryStream, "plain").RecordsSent >= batch.Count && agent.Metrics.ForDestination(DestinationKind.DeliveryStream, "joined").RecordsSent >= batch.Count
                    && agent.Metrics.ForStream(stream).RecordsSent >= batch.Count,
                () => $"{batch.Count} records per flow in run {run}: {AgentHarness.Describe(agent)}");
        }

        var kinesis = (await harness.ReadStreamAsync(stream)).Select(r => r.Data.ToArray()).ToList();
        var plain = firehose.Records("plain");
        var joined = firehose.Records("joined");

        // The same bytes for each line on both services, each line once, in order (no duplicates across the restart).
        Assert.Equal(lines.Count, plain.Count);
        Assert.Equal(kinesis.Select(Convert.ToHexString), plain.Select(Convert.ToHexString));
        Assert.Equal(lines.Select(line => line + "\n"), plain.Select(r => Encoding.UTF8.GetString(r)));

        // Joined records: whole lines, each with its own newline, each at most the size unless one line alone.
        Assert.True(joined.Count < lines.Count, $"{joined.Count} joined records for {lines.Count} lines: nothing was joined");
        Assert.All(joined, r => Assert.True(r.Length <= 1024));
        Assert.All(joined, r => Assert.Equal((byte)'\n', r[^1]));
        Assert.Equal(string.Concat(lines.Select(l => l + "\n")), string.Concat(joined.Select(r => Encoding.UTF8.GetString(r))));
    }
}
