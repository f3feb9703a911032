using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>Log rotation while the application keeps writing: no line is lost.</summary>
[Trait("Category", "Engine")]
public sealed class RotationTests : IClassFixture<LocalAwsFixture>
{
    private const int Batches = 12;
    private const int LinesPerBatch = 200;

    private readonly LocalAws _aws;

    public RotationTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Rename_and_create_rotation_while_writing_loses_and_repeats_nothing()
    {
        var (expected, arrived) = await RunAsync("app.log", (log, batch) =>
        {
            if (batch % 4 == 3)
            {
                // logrotate's default: the old file moves away (still being drained by the agent), a new one appears.
                File.Move(log, $"{log}.{batch}");
                File.WriteAllBytes(log, []);
            }
        });

        Assert.Equal(expected.Order(StringComparer.Ordinal), arrived.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Copytruncate_rotation_while_writing_loses_nothing()
    {
        var (expected, arrived) = await RunAsync("app.log*", (log, batch) =>
        {
            if (batch % 4 == 3)
            {
                // logrotate copytruncate: copy, then cut the live file to zero; the writer goes on at offset 0.
                File.Copy(log, $"{log}.{batch}");
                using var live = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                live.SetLength(0);
            }
        });

        Assert.Empty(expected.Except(arrived));
    }

    [Fact]
    public async Task A_deleted_file_is_read_to_its_end_through_the_open_handle()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        var log = harness.PathOf("del/app.log");
        File.WriteAllBytes(log, []);
        await using var agent = harness.StartAgent(Config(harness, stream, "del/app.log"));
        await AgentHarness.WaitForAsync(() => agent.Progress().Sum(f => f.Files.Count) == 1, "the file to be tailed");

        var lines = Enumerable.Range(0, 20_000).Select(i => $"line {i} {new string('x', 60)}").ToList();
        AgentHarness.Append(log, lines);
        File.Delete(log);

        await AgentHarness.WaitForAsync(() => agent.Metrics.ForStream(stream).RecordsSent >= lines.Count, "every line of the deleted file");
        var arrived = (await harness.ReadStreamAsync(stream)).Select(AgentHarness.Line).ToList();
        Assert.Equal(lines, arrived);
    }

    private static string Config(AgentHarness harness, string stream, string pattern) => harness.ConfigJson(
    [
        new Dictionary<string, object>
        {
            ["filePattern"] = Path.Combine(harness.Directory, pattern),
            ["kinesisStream"] = stream,
            ["partitionKeyOption"] = "FILE",
            ["initialPosition"] = "START_OF_FILE",
            ["maxBufferAgeMillis"] = 1000,
        },
    ]);

    private async Task<(List<string> Expected, List<string> Arrived)> RunAsync(string pattern, Action<string, int> rotate)
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        var log = harness.PathOf("rot/app.log");
        File.WriteAllBytes(log, []);
        var expected = new List<string>();
        await using (var agent = harness.StartAgent(Config(harness, stream, Path.Combine("rot", pattern))))
        {
            await AgentHarness.WaitForAsync(() => agent.Progress().Sum(f => f.Files.Count) >= 1, "the file to be tailed");
            for (var batch = 0; batch < Batches; batch++)
            {
                var lines = Enumerable.Range(0, LinesPerBatch).Select(i => $"batch {batch} line {i}").ToList();
                AgentHarness.Append(log, lines);
                expected.AddRange(lines);
                // Discovery polls once a second: a file must live under its name at least that long to be seen
                // (the README says so), so the writer rotates every 1.6 s.
                await Task.Delay(400);
                rotate(log, batch);
            }

            await AgentHarness.WaitForAsync(
                () => agent.Metrics.ForStream(stream).RecordsSent >= expected.Count,
                () => $"{expected.Count} lines (sent so far: {agent.Metrics.ForStream(stream).RecordsSent}); {AgentHarness.Describe(agent)}");

            // Duplicates could reach the count early: wait until every expected line is in the stream (or the deadline).
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                var present = (await harness.ReadStreamAsync(stream)).Select(AgentHarness.Line).ToHashSet();
                if (expected.All(present.Contains))
                {
                    break;
                }

                await Task.Delay(500);
            }

            // A little longer, so duplicates (if any) would be counted too.
            await Task.Delay(1000);
        }

        var arrived = (await harness.ReadStreamAsync(stream)).Select(AgentHarness.Line).ToList();
        return (expected, arrived);
    }
}
