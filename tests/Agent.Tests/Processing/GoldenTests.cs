using System.Buffers;
using System.Text;
using System.Text.Json;
using Kinesis.Clients.Agent.Ec2;
using Kinesis.Clients.Agent.Processing;
using Kinesis.Clients.Agent.Tests.Configuration;

namespace Kinesis.Clients.Agent.Tests.Processing;

/// <summary>
/// One golden file per processing option (Fixtures/Golden/OPTION.jsonl): each line a case with the options, the
/// record's exact bytes as read (its newline included), the outcome and the exact bytes sent. The expectations come
/// from the Java agent's converters and its DataConverterTest, whose cases are in the files under their names.
/// </summary>
public sealed class GoldenTests
{
    // What the ADDEC2METADATA cases see: a fixed identity read at the test clock's time in UTC.
    private static readonly JsonElement Identity = InstanceIdentitySource.Fields(
        JsonDocument.Parse("""
            {"accountId":"123456789012","architecture":"x86_64","availabilityZone":"eu-west-1a","imageId":"ami-0abcdef1234567890",
             "instanceId":"i-0123456789abcdef0","instanceType":"m5.large","pendingTime":"2024-04-30T08:00:00Z",
             "privateIp":"10.0.0.12","region":"eu-west-1","version":"2017-09-30"}
            """).RootElement,
        Run.Clock.GetUtcNow());

    public static TheoryData<string> Options() => ["SINGLELINE", "CSVTOJSON", "LOGTOJSON", "ADDMETADATA", "ADDBRACKETS", "ADDEC2METADATA"];

    [Theory]
    [MemberData(nameof(Options))]
    public void Every_case_of_the_golden_file_gives_its_bytes(string option)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Processing", "Fixtures", "Golden", option + ".jsonl");
        var cases = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        Assert.True(cases.Count >= 3, $"{path} has {cases.Count} cases");
        var mismatches = new List<string>();
        foreach (var line in cases)
        {
            using var test = JsonDocument.Parse(line);
            var root = test.RootElement;
            var name = root.GetProperty("case").GetString();
            var options = root.GetProperty("options");
            Assert.Contains(options.EnumerateArray(), o => o.GetProperty("optionName").GetString() == option);

            var flow = ConfigText.ParseFlow($"\"dataProcessingOptions\": {options.GetRawText()}").Flows[0];
            var chain = ProcessingChain.Create(flow.DataProcessingOptions, Run.Clock, _ => () => Identity);
            var input = Encoding.UTF8.GetBytes(root.GetProperty("input").GetString()!);
            var output = new ArrayBufferWriter<byte>();
            var outcome = chain.Process(input, output);
            var sent = outcome switch
            {
                ProcessingOutcome.Converted => Encoding.UTF8.GetString(output.WrittenSpan),
                ProcessingOutcome.Skipped => null,
                _ => Encoding.UTF8.GetString(input),
            };

            var expectedOutcome = root.GetProperty("outcome").GetString();
            var expected = root.GetProperty("expected").ValueKind == JsonValueKind.Null ? null : root.GetProperty("expected").GetString();
            if (outcome.ToString() != expectedOutcome || sent != expected)
            {
                mismatches.Add($"{name}: expected {expectedOutcome} {Show(expected)}, got {outcome} {Show(sent)}");
            }
        }

        Assert.True(mismatches.Count == 0, string.Join("\n", mismatches));
    }

    private static string Show(string? text) => text is null ? "(nothing)" : "\"" + JsonEncodedText.Encode(text) + "\"";
}
