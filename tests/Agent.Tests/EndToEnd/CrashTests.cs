using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>The agent program killed abruptly while shipping a growing file, and restarted.</summary>
[Trait("Category", "Engine")]
public sealed class CrashTests : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws;

    public CrashTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Killed_and_restarted_agents_deliver_every_line_at_least_once_with_few_duplicates()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(2);
        var log = harness.PathOf("crash/app.log");
        File.WriteAllBytes(log, []);
        var config = harness.WriteConfigFile(harness.ConfigJson(
        [
            new Dictionary<string, object>
            {
                ["filePattern"] = Path.Combine(harness.Directory, "crash/*.log"),
                ["kinesisStream"] = stream,
                ["partitionKeyOption"] = "FILE",
                ["initialPosition"] = "START_OF_FILE",
                ["maxBufferAgeMillis"] = 1000,
            },
        ]));

        // The file grows all the time; the agent is killed (SIGKILL) three times, then stopped gracefully.
        var written = 0;
        using var stopWriting = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            while (!stopWriting.IsCancellationRequested)
            {
                AgentHarness.Append(log, Enumerable.Range(written, 100).Select(i => $"line {i}"));
                written += 100;
                await Task.Delay(20);
            }
        });

        const int Kills = 3;
        for (var run = 0; run < Kills; run++)
        {
            using var agent = AgentProcess.Start("run", "-c", config);
            await Task.Delay(TimeSpan.FromSeconds(4));
            Assert.False(agent.HasExited, agent.Output);
            agent.Kill();
            await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        await stopWriting.CancelAsync();
        await writer;
        using (var last = AgentProcess.Start("run", "-c", config))
        {
            await WaitForLinesAsync(harness, stream, written);
            last.Terminate();
            Assert.Equal(0, await last.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        }

        var lines = (await harness.ReadStreamAsync(stream)).Select(AgentHarness.Line).ToList();
        var distinct = lines.ToHashSet();
        var missing = Enumerable.Range(0, written).Select(i => $"line {i}").Where(l => !distinct.Contains(l)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} of {written} lines never arrived, e.g. {string.Join(", ", missing.Take(5))}");

        // Only records in flight at a kill are sent again: never more than the agent buffers, per kill.
        var duplicates = lines.Count - distinct.Count;
        Assert.True(duplicates <= Kills * 20_000, $"{duplicates} duplicates of {written} lines");
        Console.WriteLine($"crash test: {written} lines, {Kills} kills, {duplicates} duplicates");
    }

    private static async Task WaitForLinesAsync(AgentHarness harness, string stream, int count)
    {
        var deadline = DateTime.UtcNow + AgentHarness.Deadline;
        while (DateTime.UtcNow < deadline)
        {
            var lines = (await harness.ReadStreamAsync(stream)).Select(AgentHarness.Line).ToHashSet();
            if (lines.Count >= count)
            {
                return;
            }

            await Task.Delay(1000);
        }
    }
}
