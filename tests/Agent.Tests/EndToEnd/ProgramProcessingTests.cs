using System.Text;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// Every data processing option through the agent program itself (under <c>./build.sh test</c>, the natively
/// compiled one that ships): its JSON writing, regular expressions and configuration reading are what differs
/// between the program and the engine the other tests host.
/// </summary>
[Trait("Category", "Engine")]
public sealed class ProgramProcessingTests : IClassFixture<LocalAwsFixture>
{
    private static readonly string[] LogFormats = ["COMMONAPACHELOG", "COMBINEDAPACHELOG", "APACHEERRORLOG", "SYSLOG", "RFC3339SYSLOG"];

    private readonly LocalAws _aws;

    public ProgramProcessingTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task The_program_converts_every_log_format_and_CSV_and_adds_metadata()
    {
        await using var harness = AgentHarness.Create(_aws);
        var fixtures = Path.Combine(AppContext.BaseDirectory, "Processing", "Fixtures");
        var flows = new List<object>();
        var expected = new Dictionary<string, List<string>>();
        foreach (var format in LogFormats)
        {
            var stream = await harness.NewStreamAsync(1);
            var lines = File.ReadAllLines(Path.Combine(fixtures, format + ".log"));
            var json = File.ReadAllLines(Path.Combine(fixtures, format + ".expected.jsonl"));
            // A line that does not convert is sent as it was.
            expected[stream] = lines.Zip(json, (line, converted) => converted == "FAILED" ? line : converted).ToList();
            flows.Add(Flow(harness, stream, format, [new Dictionary<string, object> { ["optionName"] = "LOGTOJSON", ["logFormat"] = format }]));
            File.Copy(Path.Combine(fixtures, format + ".log"), harness.PathOf($"logs/{format}/app.log"));
        }

        var csvStream = await harness.NewStreamAsync(1);
        flows.Add(Flow(harness, csvStream, "csv",
        [
            new Dictionary<string, object> { ["optionName"] = "CSVTOJSON", ["customFieldNames"] = new[] { "id", "name", "score" } },
            new Dictionary<string, object> { ["optionName"] = "ADDMETADATA", ["metadata"] = new Dictionary<string, object> { ["host"] = "web-1" } },
        ]));
        AgentHarness.Append(harness.PathOf("logs/csv/app.log"), ["1,ann,3.5", "2,bob"]);
        expected[csvStream] =
        [
            """{"metadata":{"host":"web-1"},"data":"{\"id\":\"1\",\"name\":\"ann\",\"score\":\"3.5\"}"}""",
            """{"metadata":{"host":"web-1"},"data":"{\"id\":\"2\",\"name\":\"bob\",\"score\":null}"}""",
        ];

        var config = harness.WriteConfigFile(harness.ConfigJson(flows));
        using var agent = AgentProcess.Start("run", "-c", config);
        foreach (var (stream, want) in expected)
        {
            var got = new List<string>();
            var deadline = DateTime.UtcNow + AgentHarness.Deadline;
            while (got.Count < want.Count && DateTime.UtcNow < deadline && !agent.HasExited)
            {
                await Task.Delay(500);
                got = (await harness.ReadStreamAsync(stream)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToList();
            }

            Assert.True(want.SequenceEqual(got), $"stream {stream}: expected{Environment.NewLine}{string.Join(Environment.NewLine, want)}{Environment.NewLine}got{Environment.NewLine}{string.Join(Environment.NewLine, got)}{Environment.NewLine}agent output:{Environment.NewLine}{agent.Output}");
        }

        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    private static Dictionary<string, object> Flow(AgentHarness harness, string stream, string folder, object[] options) => new()
    {
        ["filePattern"] = Path.Combine(harness.Directory, "logs", folder, "*.log"),
        ["kinesisStream"] = stream,
        ["initialPosition"] = "START_OF_FILE",
        ["maxBufferAgeMillis"] = 1000,
        ["dataProcessingOptions"] = options,
    };
}
