namespace Kinesis.Clients.Agent.Tests.Configuration;

/// <summary>Errors in <c>dataProcessingOptions</c> name the option's path, the key and what was wrong.</summary>
public sealed class ProcessingOptionErrorTests
{
    [Fact]
    public void An_unknown_processing_option_key_is_named_by_its_path()
    {
        var error = ConfigText.FlowError("""
            "dataProcessingOptions": [ { "optionName": "SINGLELINE" }, { "optionName": "CSVTOJSON", "customFieldNames": ["a"], "logFormat": "SYSLOG" } ]
            """);

        ConfigText.AssertNames(error, "flows[0].dataProcessingOptions[1].logFormat", "unknown key", "allowed keys: optionName, customFieldNames, delimiter, jsonFormat");
    }

    [Fact]
    public void A_bad_log_format_lists_the_formats()
    {
        var error = ConfigText.FlowError("""
            "dataProcessingOptions": [ { "optionName": "LOGTOJSON", "logFormat": "NGINX" } ]
            """);

        ConfigText.AssertNames(error, "flows[0].dataProcessingOptions[0].logFormat", "COMMONAPACHELOG, COMBINEDAPACHELOG, APACHEERRORLOG, SYSLOG, RFC3339SYSLOG");
    }

    [Fact]
    public void A_bad_option_name_lists_the_options()
    {
        var error = ConfigText.FlowError("""
            "dataProcessingOptions": [ { "optionName": "USINGPLUGGIN" } ]
            """);

        ConfigText.AssertNames(error, "flows[0].dataProcessingOptions[0].optionName", "loads a Java class", "allowed: SINGLELINE, CSVTOJSON, LOGTOJSON, ADDMETADATA, ADDEC2METADATA, ADDBRACKETS");
    }

    [Fact]
    public void A_bad_CSV_delimiter_regex_names_its_key()
    {
        var error = ConfigText.FlowError("""
            "dataProcessingOptions": [ { "optionName": "CSVTOJSON", "customFieldNames": ["a"], "delimiter": "[" } ]
            """);

        ConfigText.AssertNames(error, "flows[0].dataProcessingOptions[0].delimiter", "'['");
    }

    [Fact]
    public void CSVTOJSON_needs_field_names()
    {
        var error = ConfigText.FlowError("""
            "dataProcessingOptions": [ { "optionName": "CSVTOJSON" } ]
            """);

        ConfigText.AssertNames(error, "flows[0].dataProcessingOptions[0].customFieldNames", "is required for CSVTOJSON");
    }

    [Fact]
    public void Duplicate_field_names_are_refused_with_their_index()
    {
        var error = ConfigText.FlowError("""
            "dataProcessingOptions": [ { "optionName": "CSVTOJSON", "customFieldNames": ["a", "b", "a"] } ]
            """);

        ConfigText.AssertNames(error, "flows[0].dataProcessingOptions[0].customFieldNames[2]", "'a' is listed twice");
    }

    [Fact]
    public void A_match_pattern_needs_one_field_name_per_group()
    {
        var error = ConfigText.FlowError("""
            "dataProcessingOptions": [ { "optionName": "LOGTOJSON", "logFormat": "SYSLOG", "matchPattern": "(\\w+) (\\w+)", "customFieldNames": ["a"] } ]
            """);

        ConfigText.AssertNames(error, "flows[0].dataProcessingOptions[0].customFieldNames", "1 names but matchPattern has 2 capture groups");
    }

    [Fact]
    public void A_match_pattern_without_field_names_is_refused()
    {
        var error = ConfigText.FlowError("""
            "dataProcessingOptions": [ { "optionName": "LOGTOJSON", "logFormat": "SYSLOG", "matchPattern": "(\\w+)" } ]
            """);

        ConfigText.AssertNames(error, "flows[0].dataProcessingOptions[0].customFieldNames", "is required with matchPattern");
    }

    [Fact]
    public void Renaming_a_format_needs_as_many_names_as_it_has_fields()
    {
        var error = ConfigText.FlowError("""
            "dataProcessingOptions": [ { "optionName": "LOGTOJSON", "logFormat": "COMMONAPACHELOG", "customFieldNames": ["a", "b"] } ]
            """);

        ConfigText.AssertNames(error, "flows[0].dataProcessingOptions[0].customFieldNames", "COMMONAPACHELOG has 7 fields (host, ident, authuser, datetime, request, response, bytes)");
    }

    [Fact]
    public void An_ADDMETADATA_timestamp_that_is_not_true_or_false_is_refused()
    {
        var error = ConfigText.FlowError("""
            "dataProcessingOptions": [ { "optionName": "ADDMETADATA", "timestamp": "yes" } ]
            """);

        ConfigText.AssertNames(error, "flows[0].dataProcessingOptions[0].timestamp", "must be true or false");
    }

    [Fact]
    public void An_unknown_SINGLELINE_parse_option_is_refused()
    {
        var error = ConfigText.FlowError("""
            "dataProcessingOptions": [ { "optionName": "SINGLELINE", "parseOptions": ["TRIM"] } ]
            """);

        ConfigText.AssertNames(error, "flows[0].dataProcessingOptions[0].parseOptions", "allowed: NO_TRIM, ESCAPE_NEW_LINE");
    }
}
