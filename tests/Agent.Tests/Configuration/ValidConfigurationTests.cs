using Kinesis.Clients.Agent.Configuration;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Tests.Configuration;

public sealed class ValidConfigurationTests
{
    [Fact]
    public void The_minimal_example_of_the_Kinesis_Agent_documentation_parses()
    {
        var config = ConfigText.Parse("""
            {
               "flows": [
                    {
                        "filePattern": "/tmp/app.log*",
                        "kinesisStream": "yourkinesisstream"
                    }
               ]
            }
            """);

        var flow = Assert.Single(config.Flows);
        Assert.Equal("/tmp/app.log*", flow.FilePattern);
        Assert.Equal("yourkinesisstream", flow.KinesisStream);
        Assert.Equal("kinesis:yourkinesisstream:/tmp/app.log*", flow.Id);
        Assert.Equal(ConfigText.File, flow.SourceFile);
    }

    [Fact]
    public void The_documented_LOGTOJSON_example_parses_into_a_log_option()
    {
        var config = ConfigText.Parse("""
            {
                "flows": [
                    {
                        "filePattern": "/tmp/app.log*",
                        "kinesisStream": "my-stream",
                        "dataProcessingOptions": [
                            {
                                "optionName": "LOGTOJSON",
                                "logFormat": "COMMONAPACHELOG"
                            }
                        ]
                    }
                ]
            }
            """);

        var option = Assert.IsType<LogToJsonOption>(Assert.Single(config.Flows[0].DataProcessingOptions));
        Assert.Equal(LogFormat.CommonApacheLog, option.LogFormat);
        Assert.Null(option.MatchPattern);
        Assert.Null(option.CustomFieldNames);
        Assert.Equal(JsonFormat.Compact, option.JsonFormat);
    }

    [Fact]
    public void The_documented_multi_line_example_parses_with_a_tab_delimiter()
    {
        var config = ConfigText.Parse("""
            {
                "flows": [
                    {
                        "filePattern": "/tmp/app.log*",
                        "kinesisStream": "my-stream",
                        "multiLineStartPattern": "\\[SEQUENCE=",
                        "dataProcessingOptions": [
                            {
                                "optionName": "SINGLELINE"
                            },
                            {
                                "optionName": "CSVTOJSON",
                                "customFieldNames": [ "field1", "field2", "field3" ],
                                "delimiter": "\\t"
                            }
                        ]
                    }
                ]
            }
            """);

        var flow = config.Flows[0];
        Assert.Matches(flow.MultiLineStartPattern!, "[SEQUENCE=1] start");
        Assert.DoesNotMatch(flow.MultiLineStartPattern!, "  at [SEQUENCE=1]");
        Assert.IsType<SingleLineOption>(flow.DataProcessingOptions[0]);
        var csv = Assert.IsType<CsvToJsonOption>(flow.DataProcessingOptions[1]);
        Assert.Equal(["field1", "field2", "field3"], csv.CustomFieldNames);
        Assert.Equal(@"\t", csv.Delimiter);
    }

    [Fact]
    public void The_documented_match_pattern_example_parses_with_six_groups()
    {
        var config = ConfigText.ParseFlow("""
            "dataProcessingOptions": [ {
                "optionName": "LOGTOJSON",
                "logFormat": "COMMONAPACHELOG",
                "matchPattern": "^([\\d.]+) (\\S+) (\\S+) \\[([\\w:/]+\\s[+\\-]\\d{4})\\] \"(.+?)\" (\\d{3})",
                "customFieldNames": ["host", "ident", "authuser", "datetime", "request", "response"]
            } ]
            """);

        var option = Assert.IsType<LogToJsonOption>(config.Flows[0].DataProcessingOptions[0]);
        Assert.Equal(6, JavaRegex.GroupCount(option.MatchPattern!));
    }

    [Fact]
    public void The_documented_multi_destination_example_without_its_Firehose_flow_parses_and_normalises_endpoints()
    {
        var config = ConfigText.Parse("""
            {
                "cloudwatch.emitMetrics": true,
                "kinesis.endpoint": "https://your/kinesis/endpoint",
                "firehose.endpoint": "https://your/firehose/endpoint",
                "cloudwatch.endpoint": "monitoring.us-east-1.amazonaws.com",
                "flows": [
                    {
                        "filePattern": "/tmp/app1.log*",
                        "kinesisStream": "yourkinesisstream"
                    }
                ]
            }
            """);

        Assert.True(config.CloudWatchEmitMetrics);
        Assert.Equal("https://your/kinesis/endpoint", config.KinesisEndpoint);
        Assert.Equal("https://monitoring.us-east-1.amazonaws.com", config.CloudWatchEndpoint);
        Assert.Equal("https://your/firehose/endpoint", config.FirehoseEndpoint);
        Assert.False(config.IgnoredSettings.ContainsKey("firehose.endpoint"));
    }

    [Fact]
    public void Comments_are_allowed_as_in_the_Java_agent()
    {
        var config = ConfigText.Parse("""
            {
                // the one flow
                "flows": [ /* tail the app */ { "filePattern": "/tmp/a.log", "kinesisStream": "s" } ]
            }
            """);

        Assert.Single(config.Flows);
    }

    [Fact]
    public void Every_setting_can_be_given_at_once()
    {
        var config = ConfigText.Parse("""
            {
                "checkpointDatabase": "/srv/agent/checkpoints.db",
                "checkpointFile": "/srv/aws-kinesis-agent/checkpoints",
                "checkpointTimeToLiveDays": 3,
                "cloudwatch.emitMetrics": false,
                "cloudwatch.endpoint": "http://localhost:4566",
                "cloudwatch.namespace": "MyAgent",
                "cloudwatch.metricsBufferTimeMillis": 60000,
                "cloudwatch.metricsQueueSize": 100,
                "cloudwatch.tagInstance": true,
                "firehose.endpoint": "firehose.eu-west-1.amazonaws.com",
                "kinesis.endpoint": "kinesis.eu-west-1.amazonaws.com",
                "kinesis.region": "eu-west-1",
                "sts.endpoint": "https://sts.eu-west-1.amazonaws.com",
                "awsAccessKeyId": "AKIDEXAMPLE",
                "awsSecretAccessKey": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
                "assumeRoleARN": "arn:aws:iam::123456789012:role/agent",
                "assumeRoleExternalId": "ext-1",
                "shutdownTimeoutMillis": 20000,
                "maxBufferedBytes": 67108864,
                "maxConnections": 48,
                "log.level": "DEBUG",
                "log.file": "/var/log/kinesis-agent/agent.log",
                "log.maxBackupIndex": 5,
                "log.maxFileSize": 10485760,
                "log.emitMetrics": true,
                "log.emitInternalMetrics": true,
                "log.statusReportingPeriodSeconds": 60,
                "maxSendingThreads": 24,
                "maxSendingThreadsPerCore": 4,
                "sendingThreadsKeepAliveMillis": 30000,
                "sendingThreadsMaxQueueSize": 50,
                "connectionTimeoutMillis": 5000,
                "connectionTTLMillis": 60000,
                "socketTimeoutMillis": 30000,
                "useTcpKeepAlive": true,
                "useHttpGzip": true,
                "userAgent": "me",
                "userAgentOverride": "me/1.0",
                "checkpoints.queryTimeoutSeconds": "30",
                "checkpoints.connectionTimeoutSeconds": 5,
                "flows": [ {
                    "filePattern": "/var/log/**/app-[0-9]?.log",
                    "kinesisStream": "app.logs_1",
                    "partitionKeyOption": "FIELD",
                    "partitionKeyField": "requestId",
                    "initialPosition": "START_OF_FILE",
                    "maxBufferAgeMillis": 1000,
                    "maxBufferSizeRecords": 100,
                    "maxBufferSizeBytes": 1048576,
                    "minTimeBetweenFilePollsMillis": 250,
                    "maxTimeBetweenFileTrackerRefreshMillis": 5000,
                    "multiLineStartPattern": "\\d{4}-",
                    "multiLineFlushTimeoutMillis": 2500,
                    "skipHeaderLines": 2,
                    "truncatedRecordTerminator": "...\n",
                    "maxRecordSizeBytes": 524288,
                    "fileFooterPattern": "^END$",
                    "waitOnFullPublishQueueMillis": 2000,
                    "waitOnEmptyPublishQueueMillis": 3000,
                    "retryInitialBackoffMillis": 200,
                    "retryMaxBackoffMillis": 20000,
                    "publishQueueCapacity": 10,
                    "aggregatedRecordSizeBytes": 5120,
                    "log.emitInternalMetrics": true,
                    "waitOnFullRetryQueueMillis": "1000",
                    "kplAggregation": false,
                    "dataProcessingOptions": [
                        { "optionName": "SINGLELINE", "parseOptions": ["NO_TRIM", "ESCAPE_NEW_LINE"] },
                        { "optionName": "ADDMETADATA", "timestamp": "true", "metadata": { "env": "prod" }, "jsonFormat": "PRETTYPRINT" }
                    ]
                } ]
            }
            """);

        Assert.Equal("/srv/agent/checkpoints.db", config.CheckpointFile);
        Assert.Equal("/srv/aws-kinesis-agent/checkpoints", config.JavaCheckpointFile);
        Assert.Equal(TimeSpan.FromDays(3), config.CheckpointTimeToLive);
        Assert.False(config.CloudWatchEmitMetrics);
        Assert.Equal("http://localhost:4566", config.CloudWatchEndpoint);
        Assert.Equal("MyAgent", config.CloudWatchNamespace);
        Assert.Equal(TimeSpan.FromMinutes(1), config.CloudWatchMetricsBufferTime);
        Assert.Equal("https://kinesis.eu-west-1.amazonaws.com", config.KinesisEndpoint);
        Assert.Equal("eu-west-1", config.Region);
        Assert.Equal("https://sts.eu-west-1.amazonaws.com", config.StsEndpoint);
        Assert.Equal("AKIDEXAMPLE", config.AwsAccessKeyId);
        Assert.Equal("wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", config.AwsSecretAccessKey);
        Assert.Equal("arn:aws:iam::123456789012:role/agent", config.AssumeRoleArn);
        Assert.Equal("ext-1", config.AssumeRoleExternalId);
        Assert.Equal(TimeSpan.FromSeconds(20), config.ShutdownTimeout);
        Assert.Equal(64L << 20, config.MaxBufferedBytes);
        Assert.Equal(48, config.MaxConnections);
        Assert.Equal(LogLevel.Debug, config.LogLevel);
        Assert.Equal(TimeSpan.FromMinutes(1), config.StatusReportingPeriod);
        Assert.Equal(AgentSettingsReader.NoEffect.Order(), config.IgnoredSettings.Keys.Order());
        Assert.Equal("/var/log/kinesis-agent/agent.log", config.IgnoredSettings["log.file"]);
        Assert.Equal("true", config.IgnoredSettings["useHttpGzip"]);

        var flow = Assert.Single(config.Flows);
        Assert.Equal("/var/log/**/app-[0-9]?.log", flow.FilePattern);
        Assert.Equal(PartitionKeyOption.Field, flow.PartitionKeyOption);
        Assert.Equal("requestId", flow.PartitionKeyField);
        Assert.Equal(InitialPosition.StartOfFile, flow.InitialPosition);
        Assert.Equal(TimeSpan.FromSeconds(1), flow.MaxBufferAge);
        Assert.Equal(100, flow.MaxBufferSizeRecords);
        Assert.Equal(1048576, flow.MaxBufferSizeBytes);
        Assert.Equal(TimeSpan.FromMilliseconds(250), flow.MinTimeBetweenFilePolls);
        Assert.Equal(TimeSpan.FromSeconds(5), flow.MaxTimeBetweenFileTrackerRefresh);
        Assert.Matches(flow.MultiLineStartPattern!, "2024-01-01 x");
        Assert.Equal(TimeSpan.FromMilliseconds(2500), flow.MultiLineFlushTimeout);
        Assert.Equal(2, flow.SkipHeaderLines);
        Assert.Equal("...\n", flow.TruncatedRecordTerminator);
        Assert.Equal(524288, flow.MaxRecordSizeBytes);
        Assert.Matches(flow.FileFooterPattern!, "END");
        Assert.DoesNotMatch(flow.FileFooterPattern!, "THE END");
        Assert.False(flow.KplAggregation);
        Assert.Equal(FlowReader.NoEffect.Order(), flow.IgnoredSettings.Keys.Order());
        var single = Assert.IsType<SingleLineOption>(flow.DataProcessingOptions[0]);
        Assert.True(single.NoTrim);
        Assert.True(single.EscapeNewLine);
        var metadata = Assert.IsType<AddMetadataOption>(flow.DataProcessingOptions[1]);
        Assert.True(metadata.Timestamp);
        Assert.Equal("prod", metadata.Metadata!.Value.GetProperty("env").GetString());
        Assert.Equal(JsonFormat.PrettyPrint, metadata.JsonFormat);
    }

    [Theory]
    [InlineData("RANDOM", nameof(PartitionKeyOption.Random))]
    [InlineData("DETERMINISTIC", nameof(PartitionKeyOption.Deterministic))]
    [InlineData("FILE", nameof(PartitionKeyOption.File))]
    public void Partition_key_options_without_settings_parse(string name, string expected)
    {
        var flow = ConfigText.ParseFlow($"\"partitionKeyOption\": \"{name}\"").Flows[0];

        Assert.Equal(expected, flow.PartitionKeyOption.ToString());
    }

    [Fact]
    public void The_REGEX_partition_key_takes_a_pattern_searched_anywhere_in_the_record()
    {
        var flow = ConfigText.ParseFlow("""
            "partitionKeyOption": "REGEX", "partitionKeyPattern": "user=(\\w+)"
            """).Flows[0];

        Assert.Equal("bob", flow.PartitionKeyPattern!.Match("GET / user=bob ok").Groups[1].Value);
    }

    [Fact]
    public void Repeated_slashes_in_the_file_pattern_are_collapsed_and_the_id_uses_the_result()
    {
        var flow = ConfigText.Parse("""
            { "flows": [ { "filePattern": "/var//log///app.log", "kinesisStream": "s" } ] }
            """).Flows[0];

        Assert.Equal("/var/log/app.log", flow.FilePattern);
        Assert.Equal("kinesis:s:/var/log/app.log", flow.Id);
    }

    [Fact]
    public void An_empty_multi_line_start_pattern_means_one_record_per_line_as_in_the_Java_agent()
    {
        var flow = ConfigText.ParseFlow("\"multiLineStartPattern\": \"\"").Flows[0];

        Assert.Null(flow.MultiLineStartPattern);
    }

    [Fact]
    public void The_same_files_may_go_to_two_streams()
    {
        var config = ConfigText.Parse("""
            { "flows": [
                { "filePattern": "/tmp/a.log", "kinesisStream": "one" },
                { "filePattern": "/tmp/a.log", "kinesisStream": "two" } ] }
            """);

        Assert.Equal(["kinesis:one:/tmp/a.log", "kinesis:two:/tmp/a.log"], config.Flows.Select(f => f.Id));
    }

    [Fact]
    public void ADDMETADATA_takes_a_JSON_boolean_timestamp_and_any_metadata_value()
    {
        var option = (AddMetadataOption)ConfigText.ParseFlow("""
            "dataProcessingOptions": [ { "optionName": "ADDMETADATA", "timestamp": true, "metadata": [1, "two"] } ]
            """).Flows[0].DataProcessingOptions[0];

        Assert.True(option.Timestamp);
        Assert.Equal("[1, \"two\"]", option.Metadata!.Value.GetRawText());
    }

    [Fact]
    public void ADDMETADATA_reads_the_timestamp_string_in_any_case()
    {
        var option = (AddMetadataOption)ConfigText.ParseFlow("""
            "dataProcessingOptions": [ { "optionName": "ADDMETADATA", "timestamp": "FALSE" } ]
            """).Flows[0].DataProcessingOptions[0];

        Assert.False(option.Timestamp);
        Assert.Null(option.Metadata);
    }
}
