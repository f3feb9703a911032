using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Tests.Configuration;

/// <summary><c>deliveryStream</c> flows: read with the Java agent's Firehose defaults and limits, next to Kinesis flows.</summary>
public sealed class FirehoseFlowTests
{
    private const string File = ConfigText.File;

    [Fact]
    public void A_Kinesis_flow_and_a_Firehose_flow_are_read_from_one_file_with_each_kinds_defaults()
    {
        var config = ConfigText.Parse("""
            {
                "firehose.endpoint": "firehose.eu-west-1.amazonaws.com",
                "flows": [
                    { "filePattern": "/tmp/app1.log*", "kinesisStream": "yourkinesisstream" },
                    { "filePattern": "/tmp/app2.log*", "deliveryStream": "yourfirehosedeliverystream" }
                ]
            }
            """);

        var (kinesis, firehose) = (config.Flows[0], config.Flows[1]);
        Assert.False(kinesis.IsFirehose);
        Assert.Equal("kinesis:yourkinesisstream:/tmp/app1.log*", kinesis.Id);
        Assert.True(firehose.IsFirehose);
        Assert.Equal("yourfirehosedeliverystream", firehose.Destination);
        Assert.Null(firehose.KinesisStream);
        Assert.Equal("fh:yourfirehosedeliverystream:/tmp/app2.log*", firehose.Id);
        Assert.Equal(500, firehose.MaxBufferSizeRecords);
        Assert.Equal(4 * 1024 * 1024, firehose.MaxBufferSizeBytes);
        Assert.Equal(1000 * 1024, firehose.MaxRecordSizeBytes);
        Assert.Equal(5 * 1024 * 1024, kinesis.MaxBufferSizeBytes);
        Assert.Equal(0, firehose.AggregatedRecordSizeBytes);
        Assert.Equal("https://firehose.eu-west-1.amazonaws.com", config.FirehoseEndpoint);
    }

    [Fact]
    public void AggregatedRecordSizeBytes_has_its_effect_on_a_Firehose_flow_and_is_not_reported_ignored()
    {
        var flow = Firehose("\"aggregatedRecordSizeBytes\": 5120, \"maxBufferSizeRecords\": 100, \"maxBufferSizeBytes\": 1048576");

        Assert.Equal(5120, flow.AggregatedRecordSizeBytes);
        Assert.Equal(100, flow.MaxBufferSizeRecords);
        Assert.Equal(1024 * 1024, flow.MaxBufferSizeBytes);
        Assert.False(flow.IgnoredSettings.ContainsKey("aggregatedRecordSizeBytes"));
    }

    [Theory]
    [InlineData("\"maxBufferSizeRecords\": 501", "flows[0].maxBufferSizeRecords", "500")]
    [InlineData("\"maxBufferSizeBytes\": 4194305", "flows[0].maxBufferSizeBytes", "4,194,304")]
    [InlineData("\"aggregatedRecordSizeBytes\": 1024001", "flows[0].aggregatedRecordSizeBytes", "1,024,000")]
    [InlineData("\"maxRecordSizeBytes\": 1024001", "flows[0].maxRecordSizeBytes", "1,024,000")]
    [InlineData("\"partitionKeyOption\": \"DETERMINISTIC\"", "flows[0].partitionKeyOption", "Firehose delivery stream")]
    [InlineData("\"kplAggregation\": false", "flows[0].kplAggregation", "KPL aggregation")]
    [InlineData("\"kinesisStream\": \"s\"", "flows[0].deliveryStream", "cannot be given with kinesisStream")]
    public void Firehose_flow_settings_beyond_Firehose_are_refused_naming_file_and_key(string keys, string key, string fragment)
    {
        var error = ConfigText.Error(FirehoseJson(keys));

        Assert.Equal(File, error.File);
        Assert.Equal(key, error.Key);
        Assert.StartsWith($"{File}: {key}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error.Message);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("a-name-that-is-far-too-long-for-a-delivery-stream-0123456789abcdef")]
    public void A_bad_delivery_stream_name_is_refused(string name)
    {
        var error = ConfigText.Error($$"""{ "flows": [ { "filePattern": "/tmp/a.log", "deliveryStream": "{{name}}" } ] }""");

        Assert.Equal("flows[0].deliveryStream", error.Key);
        Assert.Contains("1-64 characters", error.Message, StringComparison.Ordinal);
    }

    private static FlowConfiguration Firehose(string keys) => ConfigText.Parse(FirehoseJson(keys)).Flows[0];

    private static string FirehoseJson(string keys) =>
        $$"""{ "flows": [ { "filePattern": "/tmp/app2.log*", "deliveryStream": "logs", {{keys}} } ] }""";
}
