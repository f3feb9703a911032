using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Tests.Configuration;

/// <summary>Configuration errors name the file, the key and what was wrong.</summary>
public sealed class ErrorTests
{
    private const string File = ConfigText.File;

    [Fact]
    public void An_unknown_top_level_key_is_named_with_a_suggestion_and_the_allowed_keys()
    {
        var error = ConfigText.Error("""{ "cloudwatch.emitMetric": true, "flows": [] }""");

        ConfigText.AssertNames(error, "cloudwatch.emitMetric", "unknown key", "did you mean 'cloudwatch.emitMetrics'?", "allowed keys: flows, checkpointFile");
    }

    [Fact]
    public void An_unknown_flow_key_is_named_by_its_path()
    {
        var error = ConfigText.FlowError("\"partitionKey\": \"RANDOM\"");

        ConfigText.AssertNames(error, "flows[0].partitionKey", "unknown key", "partitionKeyOption");
    }

    [Fact]
    public void A_key_of_the_wrong_JSON_type_names_the_type_found()
    {
        var error = ConfigText.Error("""{ "cloudwatch.emitMetrics": [false], "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, "cloudwatch.emitMetrics", "must be true or false", "found an array");
    }

    [Fact]
    public void A_string_that_is_no_Java_integer_where_a_number_belongs_is_refused()
    {
        var error = ConfigText.FlowError("\"maxBufferAgeMillis\": \"60 s\"");

        ConfigText.AssertNames(error, "flows[0].maxBufferAgeMillis", "must be an integer from 1,000 to 900,000", "Long.decode", "found the string \"60 s\"");
    }

    [Theory]
    [InlineData("maxBufferAgeMillis", "999", "from 1,000 to 900,000")]
    [InlineData("maxBufferAgeMillis", "900001", "from 1,000 to 900,000")]
    [InlineData("maxBufferSizeRecords", "501", "from 1 to 500")]
    [InlineData("maxBufferSizeRecords", "0", "from 1 to 500")]
    [InlineData("maxBufferSizeBytes", "5242881", "from 1 to 5,242,880")]
    [InlineData("skipHeaderLines", "-1", "from 0 to")]
    [InlineData("minTimeBetweenFilePollsMillis", "0", "from 1 to")]
    [InlineData("maxBufferAgeMillis", "1.5", "found 1.5")]
    [InlineData("maxRecordSizeBytes", "10484737", "from 1,024 to 10,484,736")]
    public void An_out_of_range_flow_number_names_the_allowed_range(string key, string value, string allowed)
    {
        var error = ConfigText.FlowError($"\"{key}\": {value}");

        ConfigText.AssertNames(error, $"flows[0].{key}", allowed);
    }

    [Fact]
    public void An_out_of_range_agent_number_names_the_allowed_range()
    {
        var error = ConfigText.Error("""{ "maxBufferedBytes": 1000, "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, "maxBufferedBytes", "from 1,048,576 to");
    }

    [Theory]
    [InlineData("partitionKeyOption", "random", "RANDOM, DETERMINISTIC, FIELD, REGEX, FILE")]
    [InlineData("initialPosition", "BEGINNING", "START_OF_FILE, END_OF_FILE")]
    public void A_bad_enum_value_lists_the_allowed_values(string key, string value, string allowed)
    {
        var error = ConfigText.FlowError($"\"{key}\": \"{value}\"");

        ConfigText.AssertNames(error, $"flows[0].{key}", $"'{value}' is not allowed", $"allowed: {allowed}");
    }

    [Fact]
    public void A_bad_log_level_lists_the_Java_agent_levels()
    {
        var error = ConfigText.Error("""{ "log.level": "VERBOSE", "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, "log.level", "allowed: TRACE, DEBUG, INFO, WARN, ERROR");
    }

    [Fact]
    public void A_bad_regex_names_its_key_and_the_problem()
    {
        var error = ConfigText.FlowError("\"multiLineStartPattern\": \"(unclosed\"");

        ConfigText.AssertNames(error, "flows[0].multiLineStartPattern", "'(unclosed'", "Java regular expression");
    }

    [Fact]
    public void Java_only_regex_syntax_is_refused_with_the_reason()
    {
        var error = ConfigText.FlowError("\"multiLineStartPattern\": \"[a-z&&[^x]]\"");

        ConfigText.AssertNames(error, "flows[0].multiLineStartPattern", "class intersections");
    }

    [Fact]
    public void A_missing_kinesis_stream_is_required()
    {
        var error = ConfigText.Error("""{ "flows": [ { "filePattern": "/var/log/a.log" } ] }""");

        ConfigText.AssertNames(error, "flows[0].kinesisStream", "is required");
    }

    [Fact]
    public void An_empty_kinesis_stream_is_refused()
    {
        var error = ConfigText.Error("""{ "flows": [ { "filePattern": "/var/log/a.log", "kinesisStream": "" } ] }""");

        ConfigText.AssertNames(error, "flows[0].kinesisStream", "must not be empty");
    }

    [Fact]
    public void A_stream_name_with_forbidden_characters_is_refused()
    {
        var error = ConfigText.Error("""{ "flows": [ { "filePattern": "/var/log/a.log", "kinesisStream": "my stream" } ] }""");

        ConfigText.AssertNames(error, "flows[0].kinesisStream", "a-z, A-Z, 0-9, '_', '.', '-'");
    }

    [Fact]
    public void A_missing_file_pattern_is_required()
    {
        var error = ConfigText.Error("""{ "flows": [ { "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, "flows[0].filePattern", "is required");
    }

    [Theory]
    [InlineData("var/log/a.log", "must be an absolute path")]
    [InlineData("/var/log/", "names a directory")]
    [InlineData("/var/log/{a,b}.log", "{a,b} alternatives")]
    [InlineData("/var/../log/a.log", "'.' or '..'")]
    [InlineData("/var/log**/a.log", "'**' must be a whole path part")]
    [InlineData("/var/log/**", "must end with a file name pattern")]
    [InlineData("/var/log/[ab.log", "unclosed '['")]
    public void A_bad_file_pattern_says_why(string pattern, string why)
    {
        var error = ConfigText.Error($$"""{ "flows": [ { "filePattern": "{{pattern}}", "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, "flows[0].filePattern", why);
    }

    [Theory]
    [InlineData("awsAccessKeyId", "awsSecretAccessKey")]
    [InlineData("awsSecretAccessKey", "awsAccessKeyId")]
    public void Half_given_credentials_are_refused(string given, string missing)
    {
        var error = ConfigText.Error($$"""{ "{{given}}": "x", "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, given, $"without {missing}", "give both");
    }

    [Fact]
    public void A_secret_key_never_appears_in_a_message()
    {
        var error = ConfigText.Error("""{ "awsSecretAccessKey": "TOP-SECRET-VALUE", "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        Assert.DoesNotContain("TOP-SECRET-VALUE", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_external_id_needs_a_role()
    {
        var error = ConfigText.Error("""{ "assumeRoleExternalId": "x", "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, "assumeRoleExternalId", "only used with assumeRoleARN");
    }

    [Fact]
    public void A_malformed_role_ARN_is_refused()
    {
        var error = ConfigText.Error("""{ "assumeRoleARN": "agent-role", "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, "assumeRoleARN", "arn:aws:iam::123456789012:role/name");
    }

    [Fact]
    public void A_Java_credentials_provider_class_is_refused()
    {
        var error = ConfigText.Error("""{ "userDefinedCredentialsProvider.classname": "com.example.Creds", "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, "userDefinedCredentialsProvider.classname", "cannot be loaded");
    }

    [Fact]
    public void FIELD_without_a_field_name_is_refused()
    {
        var error = ConfigText.FlowError("\"partitionKeyOption\": \"FIELD\"");

        ConfigText.AssertNames(error, "flows[0].partitionKeyField", "is required with partitionKeyOption FIELD");
    }

    [Fact]
    public void A_field_name_without_FIELD_is_refused()
    {
        var error = ConfigText.FlowError("\"partitionKeyField\": \"id\"");

        ConfigText.AssertNames(error, "flows[0].partitionKeyField", "only used with partitionKeyOption FIELD, not RANDOM");
    }

    [Fact]
    public void REGEX_without_a_pattern_is_refused()
    {
        var error = ConfigText.FlowError("\"partitionKeyOption\": \"REGEX\"");

        ConfigText.AssertNames(error, "flows[0].partitionKeyPattern", "is required with partitionKeyOption REGEX");
    }

    [Fact]
    public void A_partition_key_pattern_without_a_group_is_refused()
    {
        var error = ConfigText.FlowError("\"partitionKeyOption\": \"REGEX\", \"partitionKeyPattern\": \"user=\\\\w+\"");

        ConfigText.AssertNames(error, "flows[0].partitionKeyPattern", "must have a capture group");
    }

    [Fact]
    public void An_endpoint_that_is_not_a_URL_is_refused()
    {
        var error = ConfigText.Error("""{ "kinesis.endpoint": "ftp://kinesis", "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, "kinesis.endpoint", "absolute http(s) URL");
    }

    [Fact]
    public void A_bad_region_is_refused()
    {
        var error = ConfigText.Error("""{ "kinesis.region": "Europe", "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, "kinesis.region", "us-east-1");
    }

    [Fact]
    public void A_relative_checkpoint_file_is_refused()
    {
        var error = ConfigText.Error("""{ "checkpointFile": "checkpoints.db", "flows": [ { "filePattern": "/a", "kinesisStream": "s" } ] }""");

        ConfigText.AssertNames(error, "checkpointFile", "absolute file path");
    }

    [Fact]
    public void No_flows_at_all_is_refused()
    {
        var error = ConfigText.Error("""{ "cloudwatch.emitMetrics": false }""");

        ConfigText.AssertNames(error, "flows", "at least one flow is required");
    }

    [Fact]
    public void Flows_that_are_not_an_array_are_refused()
    {
        var error = ConfigText.Error("""{ "flows": { "filePattern": "/a", "kinesisStream": "s" } }""");

        ConfigText.AssertNames(error, "flows", "must be an array");
    }

    [Fact]
    public void The_same_flow_twice_is_refused()
    {
        var error = ConfigText.Error("""
            { "flows": [ { "filePattern": "/a.log", "kinesisStream": "s" }, { "filePattern": "/a.log", "kinesisStream": "s" } ] }
            """);

        ConfigText.AssertNames(error, "flows[1]", "same files to the same stream", "flows[0]");
    }

    [Fact]
    public void A_key_set_twice_in_one_object_is_refused()
    {
        var error = ConfigText.FlowError("\"skipHeaderLines\": 1, \"skipHeaderLines\": 2");

        ConfigText.AssertNames(error, "flows[0].skipHeaderLines", "set twice");
    }

    [Fact]
    public void Invalid_JSON_names_the_line_and_column()
    {
        var error = ConfigText.Error("{\n  \"flows\": [\n    { \"filePattern\": \"/a\", }\n  ]\n}");

        Assert.Equal(File, error.File);
        Assert.Null(error.Key);
        Assert.StartsWith($"{File}: is not valid JSON at line 3, column", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_document_that_is_not_an_object_is_refused()
    {
        var error = ConfigText.Error("[]");

        Assert.Equal($"{File}: must hold one JSON object, found an array", error.Message);
    }
}
