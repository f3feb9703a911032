using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>A shard that takes less than the file offers, and a flaky endpoint: nothing lost, memory bounded.</summary>
[Trait("Category", "Engine")]
public sealed class ThrottlingTests : IClassFixture<LocalAwsFixture>
{
    private const long MemoryBound = 1024 * 1024;

    private readonly LocalAws _aws;
    private readonly ITestOutputHelper _output;

    public ThrottlingTests(LocalAwsFixture fixture, ITestOutputHelper output)
    {
        _aws = fixture.Aws;
        _output = output;
    }

    [Fact]
    public async Task A_throttled_shard_gets_every_line_while_buffered_bytes_stay_under_the_bound()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        // A shard taking a quarter of the usual 1 MiB/s, so the throttling shows within a few seconds.
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint, new LimitsProxyOptions { WriteBytesPerSecond = 256 * 1024 });
        var log = harness.PathOf("busy/app.log");

        // 1.4 MB for a shard taking 256 KiB/s: the file is the backlog while the agent waits for the shard.
        var lines = Enumerable.Range(0, 5_600).Select(i => $"{i:D8} {new string('t', 240)}").ToList();
        AgentHarness.Append(log, lines);
        var json = harness.ConfigJson(
            [Flow(harness, stream, "busy/*.log")],
            proxy.Endpoint,
            new Dictionary<string, object> { ["maxBufferedBytes"] = MemoryBound });

        long peak = 0;
        await using (var agent = harness.StartAgent(json))
        {
            await AgentHarness.WaitForAsync(
                () =>
                {
                    peak = Math.Max(peak, agent.Producer.BufferedBytes);
                    return agent.Metrics.ForStream(stream).RecordsSent >= lines.Count;
                },
                "every line through the throttled shard");
        }

        var stats = proxy.Stats;
        _output.WriteLine($"peak buffered {peak} bytes; PutRecords {stats.PutRecordsRequests}, throttled share {stats.ThrottledPutRecordsRequestShare:P1}");
        Assert.True(stats.ThrottledPutRecordsEntries > 0, "the shard should have throttled some records");
        Assert.True(peak <= MemoryBound + 300, $"buffered bytes peaked at {peak}, above the {MemoryBound} bound");
        var arrived = (await harness.ReadStreamAsync(stream)).Select(AgentHarness.Line).ToList();
        Assert.Equal(lines, arrived);
    }

    [Fact]
    public async Task Injected_500s_and_resets_lose_no_line()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(2);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        proxy.Faults.RateOperation = "PutRecords";
        proxy.Faults.FailureRate = 0.3;
        proxy.Faults.ResetRate = 0.1;
        proxy.Faults.EntryFailureRate = 0.1;
        var log = harness.PathOf("flaky/app.log");
        var lines = Enumerable.Range(0, 3_000).Select(i => $"flaky line {i}").ToList();
        AgentHarness.Append(log, lines);

        await using (var agent = harness.StartAgent(harness.ConfigJson([Flow(harness, stream, "flaky/*.log")], proxy.Endpoint)))
        {
            await AgentHarness.WaitForAsync(() => agent.Metrics.ForStream(stream).RecordsSent >= lines.Count, "every line through the faults");
        }

        _output.WriteLine($"injected {proxy.Stats.InjectedFaults} faults");
        Assert.True(proxy.Stats.InjectedFaults > 0);
        var arrived = (await harness.ReadStreamAsync(stream)).Select(AgentHarness.Line).ToList();
        Assert.Equal(lines, arrived);
    }

    private static Dictionary<string, object> Flow(AgentHarness harness, string stream, string pattern) => new()
    {
        ["filePattern"] = Path.Combine(harness.Directory, pattern),
        ["kinesisStream"] = stream,
        ["partitionKeyOption"] = "FILE",
        ["initialPosition"] = "START_OF_FILE",
        ["maxBufferAgeMillis"] = 1000,
    };
}
