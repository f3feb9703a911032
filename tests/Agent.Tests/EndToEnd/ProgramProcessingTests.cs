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
            // As the Java agent: a line that does not match is not sent; a JSON line ends in its newline.
            expected[stream] = json.Where(converted => converted != "SKIPPED").Select(converted => converted + "\n").ToList();
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
            """{"metadata":{"host":"web-1"},"data":"{\"id\":\"1\",\"name\":\"ann\",\"score\":\"3.5\"}"}""" + "\n",
            """{"metadata":{"host":"web-1"},"data":"{\"id\":\"2\",\"name\":\"bob\",\"score\":null}"}""" + "\n",
        ];

        // Raw records, one Kinesis record each, as the Java agent sends them.
        var rawStream = await harness.NewStreamAsync(1);
        var raw = Flow(harness, rawStream, "raw",
        [
            new Dictionary<string, object> { ["optionName"] = "SINGLELINE" },
            new Dictionary<string, object> { ["optionName"] = "ADDBRACKETS" },
        ]);
        raw["kplAggregation"] = "false";
        flows.Add(raw);
        AgentHarness.Append(harness.PathOf("logs/raw/app.log"), ["  a", "b  ", "c"]);
        expected[rawStream] = ["{a\n}", "{b\n}", "{c\n}"];

        // The instance identity through IMDSv2 from the kit's loopback metadata server.
        await using var imds = await LoopbackSts.StartAsync();
        var ec2Stream = await harness.NewStreamAsync(1);
        flows.Add(Flow(harness, ec2Stream, "ec2", [new Dictionary<string, object> { ["optionName"] = "ADDEC2METADATA", ["logFormat"] = "SYSLOG" }]));
        AgentHarness.Append(harness.PathOf("logs/ec2/app.log"), ["{\"event\":\"start\"}", "not json"]);

        var config = harness.WriteConfigFile(harness.ConfigJson(flows));
        using var agent = AgentProcess.Start(["run", "-c", config], parent: null, new Dictionary<string, string>
        {
            ["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds.MetadataEndpoint.ToString(),
        });
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

        var rawRecords = await harness.ReadStreamAsync(rawStream);
        Assert.Equal(rawRecords.Count, rawRecords.Select(r => r.SequenceNumber).Distinct().Count());

        var ec2 = await ReadUntilAsync(harness, ec2Stream, 2, agent);
        Assert.Equal(
            "{\"event\":\"start\",\"privateIp\":\"10.0.0.12\",\"availabilityZone\":\"eu-west-1a\",\"instanceId\":\"i-0123456789abcdef0\","
            + "\"instanceType\":\"m5.large\",\"accountId\":\"123456789012\",\"amiId\":\"ami-0abcdef1234567890\",\"region\":\"eu-west-1\",\"metadataTimestamp\":\"",
            ec2[0][..^27]);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}""}\n$", ec2[0][^27..]);
        Assert.Equal("not json\n", ec2[1]); // not a JSON object: sent as read, counted as a processing error
        Assert.True(imds.InstanceIdentityReads >= 1);

        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));
    }

    private static async Task<List<string>> ReadUntilAsync(AgentHarness harness, string stream, int count, AgentProcess agent)
    {
        var got = new List<string>();
        var deadline = DateTime.UtcNow + AgentHarness.Deadline;
        while (got.Count < count && DateTime.UtcNow < deadline && !agent.HasExited)
        {
            await Task.Delay(500);
            got = (await harness.ReadStreamAsync(stream)).Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToList();
        }

        Assert.True(got.Count >= count, $"{count} records in {stream}; got {got.Count}; agent output: {agent.Output}");
        return got;
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
