using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Tests.Configuration;

/// <summary>Numbers and booleans written as strings, read as the Java agent's Configuration reads them.</summary>
public sealed class JavaValueTests
{
    [Theory]
    [InlineData("60000", 60_000L)]
    [InlineData("+60000", 60_000L)]
    [InlineData("0x1F40", 8_000L)]
    [InlineData("0X1f40", 8_000L)]
    [InlineData("#1F40", 8_000L)]
    [InlineData("017500", 8_000L)]
    [InlineData("0", 0L)]
    [InlineData("-5", -5L)]
    [InlineData("-0x10", -16L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Long_decode_forms_are_accepted(string text, long expected)
    {
        Assert.True(JavaValues.TryDecodeLong(text, out var value));
        Assert.Equal(expected, value);
    }

    [Theory]
    [InlineData("")]
    [InlineData(" 5")]
    [InlineData("5 ")]
    [InlineData("60s")]
    [InlineData("6e4")]
    [InlineData("60000.0")]
    [InlineData("1_000")]
    [InlineData("08")]
    [InlineData("0x")]
    [InlineData("0x-5")]
    [InlineData("--5")]
    [InlineData("+-5")]
    [InlineData("9223372036854775808")]
    [InlineData("-9223372036854775809")]
    public void What_Long_decode_refuses_is_refused(string text)
    {
        Assert.False(JavaValues.TryDecodeLong(text, out _));
    }

    [Theory]
    [InlineData("\"60000\"", 60_000)]
    [InlineData("\"0xEA60\"", 60_000)]
    [InlineData("60000", 60_000)]
    public void A_flow_number_may_be_a_string(string json, int millis)
    {
        var flow = ConfigText.ParseFlow($"\"maxBufferAgeMillis\": {json}").Flows[0];

        Assert.Equal(TimeSpan.FromMilliseconds(millis), flow.MaxBufferAge);
    }

    [Theory]
    [InlineData("\"true\"", true)]
    [InlineData("\"YES\"", true)]
    [InlineData("\"t\"", true)]
    [InlineData("\"Y\"", true)]
    [InlineData("\"1\"", true)]
    [InlineData("1", true)]
    [InlineData("\"False\"", false)]
    [InlineData("\"no\"", false)]
    [InlineData("\"F\"", false)]
    [InlineData("\"n\"", false)]
    [InlineData("\"0\"", false)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    public void A_boolean_may_be_any_form_the_Java_BooleanConverter_takes(string json, bool expected)
    {
        var config = ConfigText.Parse($$"""{ "cloudwatch.emitMetrics": {{json}}, "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        Assert.Equal(expected, config.CloudWatchEmitMetrics);
    }

    [Theory]
    [InlineData("\"maybe\"")]
    [InlineData("\"on\"")]
    [InlineData("2")]
    [InlineData("\"\"")]
    public void Other_boolean_forms_are_refused_naming_the_forms_allowed(string json)
    {
        var error = ConfigText.Error($$"""{ "cloudwatch.emitMetrics": {{json}}, "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        Assert.Equal("cloudwatch.emitMetrics", error.Key);
        Assert.Contains("true/yes/t/y/1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_quoted_number_is_still_range_checked()
    {
        var error = ConfigText.FlowError("\"maxBufferSizeRecords\": \"501\"");

        Assert.Equal("flows[0].maxBufferSizeRecords", error.Key);
        Assert.Contains("from 1 to 500", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Keys_of_every_Java_agent_release_are_accepted_and_reported_as_without_effect()
    {
        var config = ConfigText.Parse("""
            { "checkpoints.queryTimeoutSeconds": 30, "checkpoints.connectionTimeoutSeconds": "5",
              "flows": [ { "filePattern": "/a", "kinesisStream": "s", "waitOnFullRetryQueueMillis": 1000 } ] }
            """);

        Assert.Equal("30", config.IgnoredSettings["checkpoints.queryTimeoutSeconds"]);
        Assert.Equal("5", config.IgnoredSettings["checkpoints.connectionTimeoutSeconds"]);
        Assert.Equal("1000", config.Flows[0].IgnoredSettings["waitOnFullRetryQueueMillis"]);
    }
}
