using System.Text;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The agent program (the native one when <c>KINESIS_AGENT_PROGRAM</c> is set) with a Kinesis flow and a Firehose
/// flow in one agent.json, killed and restarted: every line reaches both, with the same bytes.
/// </summary>
[Trait("Category", "Engine")]
[Trait("Category", "Program")]
public sealed class FirehoseProgramTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public FirehoseProgramTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task A_killed_and_restarted_program_delivers_every_line_to_the_stream_and_the_delivery_stream()
    {
        await using var harness = AgentHarness.Create(_aws);
        await using var firehose = await LoopbackFirehose.StartAsync();
        firehose.CreateDeliveryStream("app-to-s3");
        var stream = await harness.NewStreamAsync(1);
        var log = harness.PathOf("logs/app.log");
        var pattern = Path.Combine(harness.Directory, "logs/*.log");
        var config = harness.WriteConfigFile(harness.ConfigJson(
            [
                new Dictionary<string, object> { ["filePattern"] = pattern, ["kinesisStream"] = stream, ["partitionKeyOption"] = "FILE", ["initialPosition"] = "START_OF_FILE", ["maxBufferAgeMillis"] = 1000 },
                new Dictionary<string, object> { ["filePattern"] = pattern, ["deliveryStream"] = "app-to-s3", ["initialPosition"] = "START_OF_FILE", ["maxBufferAgeMillis"] = 1000 },
            ],
            extra: new() { ["firehose.endpoint"] = firehose.Endpoint.ToString() }));
        var lines = Enumerable.Range(0, 2000).Select(i => $"first {i} {new string('y', i % 30)} é").ToList();
        AgentHarness.Append(log, lines);

        using (var first = AgentProcess.Start("run", "-c", config))
        {
            await firehose.WaitForRecordsAsync("app-to-s3", 500, AgentHarness.Deadline);
            first.Kill();
            await first.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        var more = Enumerable.Range(0, 2000).Select(i => $"second {i}").ToList();
        AgentHarness.Append(log, more);
        lines.AddRange(more);
        using (var second = AgentProcess.Start("run", "-c", config))
        {
            await firehose.WaitForRecordsAsync("app-to-s3", lines.Count, AgentHarness.Deadline);
            await WaitForStreamAsync(harness, stream, lines.Count);
            second.Terminate();
            Assert.Equal(0, await second.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        var kinesis = (await harness.ReadStreamAsync(stream)).Select(r => Convert.ToHexString(r.Data.Span)).ToHashSet();
        var delivered = firehose.Records("app-to-s3");
        var distinct = delivered.Select(Convert.ToHexString).ToHashSet();
        Assert.Equal(lines.Select(line => line + "\n").Order(StringComparer.Ordinal), distinct.Select(h => Encoding.UTF8.GetString(Convert.FromHexString(h))).Order(StringComparer.Ordinal));
        Assert.True(kinesis.SetEquals(distinct), "the Kinesis stream and the delivery stream received different record bytes");

        // Only records in flight at the kill are sent again.
        Assert.True(delivered.Count - distinct.Count <= 2000, $"{delivered.Count - distinct.Count} duplicates");
    }

    private static async Task WaitForStreamAsync(AgentHarness harness, string stream, int count)
    {
        using var deadline = new CancellationTokenSource(AgentHarness.Deadline);
        while ((await harness.ReadStreamAsync(stream)).Select(r => Convert.ToHexString(r.Data.Span)).ToHashSet().Count < count)
        {
            await Task.Delay(1000, deadline.Token);
        }
    }
}
