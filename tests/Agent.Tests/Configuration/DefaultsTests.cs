using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Tests.Configuration;

public sealed class DefaultsTests
{
    private static readonly AgentConfiguration Minimal = ConfigText.ParseFlow("");

    [Fact]
    public void Agent_settings_default_as_documented()
    {
        Assert.Equal("/var/lib/kinesis-agent/checkpoints.db", Minimal.CheckpointFile);
        Assert.Equal(TimeSpan.FromDays(7), Minimal.CheckpointTimeToLive);
        Assert.True(Minimal.CloudWatchEmitMetrics);
        Assert.Null(Minimal.CloudWatchEndpoint);
        Assert.Equal("AWSKinesisAgent", Minimal.CloudWatchNamespace);
        Assert.Equal(TimeSpan.FromSeconds(30), Minimal.CloudWatchMetricsBufferTime);
        Assert.Null(Minimal.KinesisEndpoint);
        Assert.Null(Minimal.Region);
        Assert.Null(Minimal.StsEndpoint);
        Assert.Null(Minimal.AwsAccessKeyId);
        Assert.Null(Minimal.AwsSecretAccessKey);
        Assert.Null(Minimal.AssumeRoleArn);
        Assert.Null(Minimal.AssumeRoleExternalId);
        Assert.Equal(TimeSpan.FromSeconds(10), Minimal.ShutdownTimeout);
        Assert.Equal(8L * 1024 * 1024, Minimal.MaxBufferedBytes);
        Assert.Equal(24, Minimal.MaxConnections);
        Assert.Null(Minimal.LogLevel);
        Assert.Equal(TimeSpan.FromSeconds(30), Minimal.StatusReportingPeriod);
        Assert.Empty(Minimal.IgnoredSettings);
    }

    [Fact]
    public void Flow_settings_default_as_the_Java_agent_for_Kinesis_streams()
    {
        var flow = Minimal.Flows[0];

        Assert.Equal(PartitionKeyOption.Random, flow.PartitionKeyOption);
        Assert.Null(flow.PartitionKeyField);
        Assert.Null(flow.PartitionKeyPattern);
        Assert.Equal(InitialPosition.EndOfFile, flow.InitialPosition);
        Assert.Equal(TimeSpan.FromMinutes(1), flow.MaxBufferAge);
        Assert.Equal(500, flow.MaxBufferSizeRecords);
        Assert.Equal(5 * 1024 * 1024, flow.MaxBufferSizeBytes);
        Assert.Null(flow.MultiLineStartPattern);
        Assert.Equal(TimeSpan.FromSeconds(1), flow.MultiLineFlushTimeout);
        Assert.Equal(0, flow.SkipHeaderLines);
        Assert.Equal("\n", flow.TruncatedRecordTerminator);
        Assert.Equal((1024 * 1024) - 1024, flow.MaxRecordSizeBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(100), flow.MinTimeBetweenFilePolls);
        Assert.Equal(TimeSpan.FromSeconds(10), flow.MaxTimeBetweenFileTrackerRefresh);
        Assert.Null(flow.FileFooterPattern);
        Assert.Empty(flow.DataProcessingOptions);
        Assert.Empty(flow.IgnoredSettings);
    }

    [Fact]
    public void Processing_options_default_as_the_Java_agent()
    {
        var options = ConfigText.ParseFlow("""
            "dataProcessingOptions": [
                { "optionName": "SINGLELINE" },
                { "optionName": "CSVTOJSON", "customFieldNames": ["a"] },
                { "optionName": "LOGTOJSON", "logFormat": "SYSLOG" },
                { "optionName": "ADDMETADATA" }
            ]
            """).Flows[0].DataProcessingOptions;

        var single = Assert.IsType<SingleLineOption>(options[0]);
        Assert.False(single.NoTrim);
        Assert.False(single.EscapeNewLine);
        var csv = Assert.IsType<CsvToJsonOption>(options[1]);
        Assert.Equal(",", csv.Delimiter);
        Assert.Equal(JsonFormat.Compact, csv.JsonFormat);
        var log = Assert.IsType<LogToJsonOption>(options[2]);
        Assert.Null(log.CustomFieldNames);
        Assert.Null(log.MatchPattern);
        var metadata = Assert.IsType<AddMetadataOption>(options[3]);
        Assert.False(metadata.Timestamp);
        Assert.Null(metadata.Metadata);
        Assert.Equal(JsonFormat.Compact, metadata.JsonFormat);
    }

    [Fact]
    public void The_model_defaults_match_the_parsed_defaults()
    {
        var built = new FlowConfiguration { Id = "x", FilePattern = "/a", KinesisStream = "s" };
        var parsed = Minimal.Flows[0];

        Assert.Equal(parsed.MaxBufferAge, built.MaxBufferAge);
        Assert.Equal(parsed.MaxBufferSizeBytes, built.MaxBufferSizeBytes);
        Assert.Equal(parsed.MaxRecordSizeBytes, built.MaxRecordSizeBytes);
        Assert.Equal(parsed.MinTimeBetweenFilePolls, built.MinTimeBetweenFilePolls);
        Assert.Equal(parsed.MultiLineFlushTimeout, built.MultiLineFlushTimeout);
        Assert.Equal(Minimal.ShutdownTimeout, new AgentConfiguration { Flows = [] }.ShutdownTimeout);
        Assert.Equal(Minimal.CheckpointFile, new AgentConfiguration { Flows = [] }.CheckpointFile);
    }
}
