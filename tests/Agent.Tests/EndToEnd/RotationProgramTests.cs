using System.Text;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The agent program as users run it (the native one when <c>KINESIS_AGENT_PROGRAM</c> is set), one agent.json with
/// a Kinesis flow and a Firehose flow, each tailing its own log that is rotated by rename and by copytruncate while
/// the application keeps writing: every line arrives once, as the Java agent sends it (the line with its '\n').
/// </summary>
/// <remarks>
/// Exactly once is what the checkpoint rules give a run that is not interrupted: a renamed file keeps its identity
/// (device + inode + first bytes) and is read on from its offset, a copytruncate copy is recognised as the
/// truncated content and continues where that was sent up to. Duplicates come only from a restart (what was read
/// but not acknowledged is read again) or from a copy made while the agent was down; neither happens here.
/// </remarks>
[Trait("Category", "Engine")]
[Trait("Category", "Program")]
public sealed class RotationProgramTests : IClassFixture<LocalAwsFixture>
{
    private const int Batches = 12;
    private const int LinesPerBatch = 250;
    private const string DeliveryStream = "rotated-to-s3";

    private readonly LocalAws _aws;

    public RotationProgramTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task Both_flow_kinds_deliver_every_line_once_through_rename_and_copytruncate_rotation()
    {
        await using var harness = AgentHarness.Create(_aws);
        await using var firehose = await LoopbackFirehose.StartAsync(FirehoseQuota.Unlimited);
        firehose.CreateDeliveryStream(DeliveryStream);
        var stream = await harness.NewStreamAsync(2);
        var kinesisLog = harness.PathOf("logs/kinesis/app.log");
        var firehoseLog = harness.PathOf("logs/firehose/app.log");
        File.WriteAllBytes(kinesisLog, []);
        File.WriteAllBytes(firehoseLog, []);

        // The Java agent's usual pattern for a rotated log, so the rotated names stay matched.
        var config = harness.WriteConfigFile(harness.ConfigJson(
            [
                new Dictionary<string, object>
                {
                    ["filePattern"] = kinesisLog + "*", ["kinesisStream"] = stream, ["partitionKeyOption"] = "FILE",
                    ["initialPosition"] = "START_OF_FILE", ["maxBufferAgeMillis"] = 1000,
                },
                new Dictionary<string, object>
                {
                    ["filePattern"] = firehoseLog + "*", ["deliveryStream"] = DeliveryStream,
                    ["initialPosition"] = "START_OF_FILE", ["maxBufferAgeMillis"] = 1000,
                },
            ],
            extra: new() { ["firehose.endpoint"] = firehose.Endpoint.ToString() }));

        var toKinesis = new List<string>();
        var toFirehose = new List<string>();
        using var agent = AgentProcess.Start("run", "-c", config);
        await AgentHarness.WaitForAsync(
            () => agent.Output.Contains("kinesis-agent started", StringComparison.Ordinal) || agent.HasExited,
            () => $"the program to start; output:{Environment.NewLine}{agent.Output}");
        Assert.False(agent.HasExited, agent.Output);

        for (var batch = 0; batch < Batches; batch++)
        {
            toKinesis.AddRange(Write(kinesisLog, "kinesis", batch));
            toFirehose.AddRange(Write(firehoseLog, "firehose", batch));

            // Discovery polls once a second: a file must live under its name that long to be seen (the README
            // says so), so the writer rotates at most every 1.6 s.
            await Task.Delay(400);
            Rotate(kinesisLog, batch);
            Rotate(firehoseLog, batch);
            await Task.Delay(1200);
        }

        var delivered = await firehose.WaitForRecordsAsync(DeliveryStream, toFirehose.Count, AgentHarness.Deadline);
        await WaitForStreamAsync(harness, stream, toKinesis.Select(l => l + "\n").ToHashSet(), agent);

        // SIGTERM as systemd stops it: anything still in flight is sent or saved before exit.
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var inStream = (await harness.ReadStreamAsync(stream)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToList();
        delivered = firehose.Records(DeliveryStream);
        var inDeliveryStream = delivered.Select(r => Encoding.UTF8.GetString(r)).ToList();
        Assert.Equal(toKinesis.Select(l => l + "\n").Order(StringComparer.Ordinal), inStream.Order(StringComparer.Ordinal));
        Assert.Equal(toFirehose.Select(l => l + "\n").Order(StringComparer.Ordinal), inDeliveryStream.Order(StringComparer.Ordinal));
    }

    /// <summary>One batch of lines appended in one write, as a logger flushing its buffer.</summary>
    private static List<string> Write(string log, string flow, int batch)
    {
        var lines = Enumerable.Range(0, LinesPerBatch).Select(i => $"{flow} batch {batch} line {i} é {new string('x', i % 40)}").ToList();
        AgentHarness.Append(log, lines);
        return lines;
    }

    /// <summary>Rename rotation after the 2nd batch of every four, copytruncate after the 4th; the writer goes on.</summary>
    private static void Rotate(string log, int batch)
    {
        switch (batch % 4)
        {
            case 1:
                // logrotate's default: the file moves away (the agent drains it), a new one takes its name.
                File.Move(log, $"{log}.{batch}");
                File.WriteAllBytes(log, []);
                break;
            case 3:
                // copytruncate: copy, then cut the live file to zero; the writer goes on at offset 0.
                File.Copy(log, $"{log}.{batch}");
                using (var live = new FileStream(log, FileMode.Open, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
                {
                    live.SetLength(0);
                }

                break;
        }
    }

    /// <summary>Reads the stream until it holds every expected record (duplicates must not end the wait early).</summary>
    private static async Task WaitForStreamAsync(AgentHarness harness, string stream, HashSet<string> expected, AgentProcess agent)
    {
        using var deadline = new CancellationTokenSource(AgentHarness.Deadline);
        var missing = expected.Count;
        while (!agent.HasExited)
        {
            var present = (await harness.ReadStreamAsync(stream)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToHashSet();
            missing = expected.Count(l => !present.Contains(l));
            if (missing == 0)
            {
                return;
            }

            try
            {
                await Task.Delay(1000, deadline.Token);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        Assert.Fail($"{missing} of {expected.Count} lines not in the stream; agent output:{Environment.NewLine}{agent.Output}");
    }
}
