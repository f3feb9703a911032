using System.Text;
using Kinesis.Clients.CloudWatch;

namespace Kinesis.Clients.Agent.Tests.EndToEnd;

/// <summary>
/// The agent program's CloudWatch uploads, read back from the loopback CloudWatch: the Java agent's metric names,
/// units and <c>Destination</c> dimension, so its dashboards and alarms keep working.
/// </summary>
[Trait("Category", "Engine")]
[Trait("Category", "Program")]
public sealed class ProgramMetricsTests : IClassFixture<LocalAwsFixture>
{
    private static readonly string[] JavaMetrics = ["RecordSendAttempts", "RecordsSent", "BytesSent", "RecordSendErrors", "ServiceErrors"];

    private readonly LocalAws _aws;

    public ProgramMetricsTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact]
    public async Task The_program_uploads_the_Java_agents_metrics_per_destination_counting_failed_requests()
    {
        await using var harness = AgentHarness.Create(_aws);
        var stream = await harness.NewStreamAsync(1);
        await using var proxy = await KinesisLimitsProxy.StartAsync(_aws.KinesisEndpoint);
        await using var cloudWatch = await LoopbackCloudWatch.StartAsync();
        proxy.Faults.FailNext(2, 500, "PutRecords"); // two requests fail as a whole, and are retried
        var lines = Enumerable.Range(0, 300).Select(i => $"metric line {i}").ToList();
        AgentHarness.Append(harness.PathOf("logs/app.log"), lines);
        var config = harness.WriteConfigFile(harness.ConfigJson(
            [new Dictionary<string, object>
            {
                ["filePattern"] = harness.PathOf("logs/app.log"),
                ["kinesisStream"] = stream,
                ["initialPosition"] = "START_OF_FILE",
                ["maxBufferAgeMillis"] = 1000,
            }],
            proxy.Endpoint,
            new Dictionary<string, object>
            {
                ["cloudwatch.emitMetrics"] = true,
                ["cloudwatch.endpoint"] = cloudWatch.Endpoint.ToString(),
                ["cloudwatch.metricsBufferTimeMillis"] = 1000,
            }));
        var destination = $"KinesisStream:{stream}";

        using var agent = AgentProcess.Start("run", "-c", config);
        await AgentHarness.WaitForAsync(
            () => Sum(cloudWatch, "RecordsSent", destination) >= lines.Count || agent.HasExited,
            () => $"RecordsSent {Sum(cloudWatch, "RecordsSent", destination)} of {lines.Count} uploaded; agent output:{Environment.NewLine}{agent.Output}");
        agent.Terminate();
        Assert.Equal(0, await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)));

        var data = cloudWatch.Calls.Where(c => c.Namespace == "AWSKinesisAgent").SelectMany(c => c.Data).ToList();
        var stored = await harness.ReadStreamAsync(stream);
        Assert.Equal(lines.Select(line => line + "\n"), stored.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        foreach (var name in JavaMetrics)
        {
            var series = data.Where(d => d.MetricName == name).ToList();
            Assert.True(series.Count > 0, $"{name} was not uploaded; got {string.Join(", ", data.Select(d => d.MetricName).Distinct())}");
            Assert.All(series, d => Assert.Equal([new MetricDimension("Destination", destination)], d.Dimensions));
            Assert.All(series, d => Assert.Equal(name == "BytesSent" ? MetricUnit.Bytes : MetricUnit.Count, d.Unit));
        }

        Assert.Equal(lines.Count, Sum(cloudWatch, "RecordsSent", destination));
        Assert.Equal(stored.Sum(r => (double)r.Data.Length), Sum(cloudWatch, "BytesSent", destination));
        Assert.Equal(0, Sum(cloudWatch, "RecordSendErrors", destination));
        Assert.Equal(2, Sum(cloudWatch, "ServiceErrors", destination));
        // One ServiceErrors sample per request, as the Java agent records it: 0 for each answered request, 1 for each failed one.
        var requests = data.Where(d => d.MetricName == "ServiceErrors").Sum(d => d.StatisticValues!.Value.SampleCount);
        Assert.Equal(requests, data.Where(d => d.MetricName == "RecordSendAttempts").Sum(d => d.StatisticValues!.Value.SampleCount));
        Assert.True(requests >= 3, $"{requests} requests: two failed ones and at least one that stored the lines");
        Assert.True(Sum(cloudWatch, "RecordSendAttempts", destination) > lines.Count, "the records of the failed requests were attempted again");
        Assert.Contains(data, d => d.MetricName == "BytesBehind" && d.Dimensions.Any(x => x.Name == "File"));
    }

    private static double Sum(LoopbackCloudWatch cloudWatch, string metric, string destination) =>
        cloudWatch.Calls.Where(c => c.Namespace == "AWSKinesisAgent").SelectMany(c => c.Data)
            .Where(d => d.MetricName == metric && d.Dimensions.Any(x => x.Name == "Destination" && x.Value == destination))
            .Sum(d => d.StatisticValues?.Sum ?? d.Value ?? 0);
}
