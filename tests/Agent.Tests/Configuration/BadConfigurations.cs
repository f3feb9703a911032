namespace Kinesis.Clients.Agent.Tests.Configuration;

/// <summary>
/// Broken and hostile configurations, each refused with one line naming the file and the key. Shared by the
/// in-process table test and the native program's (which runs a representative subset).
/// </summary>
internal static class BadConfigurations
{
    private const string Flow = "\"filePattern\": \"/var/log/app/*.log\", \"kinesisStream\": \"app\"";

    /// <summary>(name, agent.json text, the key the message must name, a fragment of the message).</summary>
    public static readonly (string Name, string Json, string Key, string Says)[] All =
    [
        ("unknown processing option", WithFlow("\"dataProcessingOptions\": [ { \"optionName\": \"TOJSON\" } ]"),
            "flows[0].dataProcessingOptions[0].optionName", "'TOJSON' is not allowed"),
        ("pluggable Java converter", WithFlow("\"dataProcessingOptions\": [ { \"optionName\": \"USINGPLUGGIN\", \"className\": \"com.x.Conv\" } ]"),
            "flows[0].dataProcessingOptions[0].optionName", "loads a Java class"),
        ("quoted number with a unit", WithFlow("\"maxBufferAgeMillis\": \"60s\""), "flows[0].maxBufferAgeMillis", "Long.decode"),
        ("quoted number with spaces", WithFlow("\"maxBufferSizeRecords\": \" 500\""), "flows[0].maxBufferSizeRecords", "Long.decode"),
        ("quoted fraction", WithFlow("\"minTimeBetweenFilePollsMillis\": \"100.5\""), "flows[0].minTimeBetweenFilePollsMillis", "Long.decode"),
        ("quoted octal with an 8", WithFlow("\"skipHeaderLines\": \"08\""), "flows[0].skipHeaderLines", "Long.decode"),
        ("negative record limit", WithFlow("\"maxBufferSizeRecords\": -1"), "flows[0].maxBufferSizeRecords", "from 1 to 500"),
        ("negative quoted header count", WithFlow("\"skipHeaderLines\": \"-5\""), "flows[0].skipHeaderLines", "found -5"),
        ("hex quoted size above the Kinesis limit", WithFlow("\"maxBufferSizeBytes\": \"0x7fffffff\""), "flows[0].maxBufferSizeBytes", "from 1 to 5,242,880"),
        ("number beyond any integer", WithFlow("\"maxBufferAgeMillis\": 1e400"), "flows[0].maxBufferAgeMillis", "must be an integer"),
        ("zero checkpoint lifetime", Top("\"checkpointTimeToLiveDays\": 0"), "checkpointTimeToLiveDays", "from 1 to 3,650"),
        ("boolean that is no Java boolean", Top("\"cloudwatch.emitMetrics\": \"maybe\""), "cloudwatch.emitMetrics", "true/yes/t/y/1"),
        ("aggregation switch that is no boolean", WithFlow("\"kplAggregation\": \"off\""), "flows[0].kplAggregation", "must be true or false"),
        ("misspelt top-level key", Top("\"kinesis.regoin\": \"eu-west-1\""), "kinesis.regoin", "did you mean 'kinesis.region'?"),
        ("misspelt flow key", WithFlow("\"kinesisStreams\": \"x\""), "flows[0].kinesisStreams", "did you mean 'kinesisStream'?"),
        ("Java credentials class", Top("\"userDefinedCredentialsProvider.classname\": \"com.x.Provider\""), "userDefinedCredentialsProvider.classname", "cannot be loaded"),
        ("role that is not an ARN", Top("\"assumeRoleARN\": \"admin\""), "assumeRoleARN", "is not an IAM role ARN"),
        ("relative file pattern", "{ \"flows\": [ { \"filePattern\": \"logs/*.log\", \"kinesisStream\": \"app\" } ] }", "flows[0].filePattern", "absolute path"),
        ("NUL in the file pattern", "{ \"flows\": [ { \"filePattern\": \"/var/log/\\u0000x\", \"kinesisStream\": \"app\" } ] }", "flows[0].filePattern", "NUL"),
        ("stream name with spaces", "{ \"flows\": [ { \"filePattern\": \"/var/log/*.log\", \"kinesisStream\": \"my stream!\" } ] }", "flows[0].kinesisStream", "is not a stream name"),
        ("huge stream name", "{ \"flows\": [ { \"filePattern\": \"/var/log/*.log\", \"kinesisStream\": \"" + new string('s', 100_000) + "\" } ] }", "flows[0].kinesisStream", "is not a stream name"),
        ("start pattern that does not compile", WithFlow("\"multiLineStartPattern\": \"([a-\""), "flows[0].multiLineStartPattern", "regular expression"),
        ("footer pattern that does not compile", WithFlow("\"fileFooterPattern\": \"(\""), "flows[0].fileFooterPattern", "regular expression"),
        ("metadata refresh of zero seconds", WithFlow("\"dataProcessingOptions\": [ { \"optionName\": \"ADDEC2METADATA\", \"metadataTTL\": \"0\" } ]"),
            "flows[0].dataProcessingOptions[0].metadataTTL", "from 1 to"),
        ("key on ADDBRACKETS", WithFlow("\"dataProcessingOptions\": [ { \"optionName\": \"ADDBRACKETS\", \"delimiter\": \",\" } ]"),
            "flows[0].dataProcessingOptions[0].delimiter", "unknown key"),
        ("unknown SINGLELINE parse option", WithFlow("\"dataProcessingOptions\": [ { \"optionName\": \"SINGLELINE\", \"parseOptions\": [\"TRIM_ALL\"] } ]"),
            "flows[0].dataProcessingOptions[0].parseOptions", "NO_TRIM, ESCAPE_NEW_LINE"),
        ("LOGTOJSON without a format", WithFlow("\"dataProcessingOptions\": [ { \"optionName\": \"LOGTOJSON\" } ]"),
            "flows[0].dataProcessingOptions[0].logFormat", "is required"),
        ("key set twice", "{ \"flows\": [ { " + Flow + ", \"initialPosition\": \"START_OF_FILE\", \"initialPosition\": \"END_OF_FILE\" } ] }",
            "flows[0].initialPosition", "set twice"),
    ];

    /// <summary>The entries the native program runs: one of each kind of problem.</summary>
    public static readonly string[] ForProgram =
    [
        "unknown processing option", "pluggable Java converter", "quoted number with a unit", "negative record limit",
        "boolean that is no Java boolean", "misspelt top-level key", "NUL in the file pattern", "huge stream name",
        "metadata refresh of zero seconds", "key set twice",
    ];

    private static string WithFlow(string keys) => "{ \"flows\": [ { " + Flow + ", " + keys + " } ] }";

    private static string Top(string keys) => "{ " + keys + ", \"flows\": [ { " + Flow + " } ] }";
}
