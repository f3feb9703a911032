using Kinesis.Clients.Agent.Processing;

namespace Kinesis.Clients.Agent.Tests.Processing;

public sealed class LogToJsonTests
{
    private static ProcessingChain Log(string format, string extra = "") =>
        Run.Chain($$"""[ { "optionName": "LOGTOJSON", "logFormat": "{{format}}"{{extra}} } ]""");

    public static TheoryData<string> Formats() => ["COMMONAPACHELOG", "COMBINEDAPACHELOG", "APACHEERRORLOG", "SYSLOG", "RFC3339SYSLOG"];

    [Theory]
    [MemberData(nameof(Formats))]
    public void Each_fixture_line_gives_the_expected_JSON_line_or_is_skipped(string format)
    {
        var folder = Path.Combine(AppContext.BaseDirectory, "Processing", "Fixtures");
        var lines = File.ReadAllLines(Path.Combine(folder, format + ".log"));
        var expected = File.ReadAllLines(Path.Combine(folder, format + ".expected.jsonl"));
        var chain = Log(format);

        Assert.Equal(expected.Length, lines.Length);
        for (var i = 0; i < lines.Length; i++)
        {
            // As read from the file: with its line break, which the JSON line ends with again.
            var (outcome, sent) = Run.Process(chain, lines[i] + "\n");
            if (expected[i] == "SKIPPED")
            {
                Assert.True(outcome == ProcessingOutcome.Skipped, $"{format} line {i + 1} should be skipped but gave {sent}");
            }
            else
            {
                Assert.True(outcome == ProcessingOutcome.Converted, $"{format} line {i + 1} did not match: {lines[i]}");
                Assert.Equal(expected[i] + "\n", sent);
            }
        }
    }

    [Fact]
    public void The_documented_common_log_example_converts_as_documented()
    {
        Assert.Equal(
            """{"host":"64.242.88.10","ident":null,"authuser":null,"datetime":"07/Mar/2004:16:10:02 -0800","request":"GET /mailman/listinfo/hsdivision HTTP/1.1","response":"200","bytes":"6291"}""",
            Run.ConvertedLine(Log("COMMONAPACHELOG"), """64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] "GET /mailman/listinfo/hsdivision HTTP/1.1" 200 6291"""));
    }

    [Fact]
    public void Custom_field_names_rename_the_format_fields()
    {
        var chain = Log("COMMONAPACHELOG", """, "customFieldNames": ["f1", "f2", "f3", "f4", "f5", "f6", "f7"]""");

        Assert.Equal(
            """{"f1":"64.242.88.10","f2":null,"f3":null,"f4":"07/Mar/2004:16:10:02 -0800","f5":"GET /mailman/listinfo/hsdivision HTTP/1.1","f6":"200","f7":"6291"}""",
            Run.ConvertedLine(chain, """64.242.88.10 - - [07/Mar/2004:16:10:02 -0800] "GET /mailman/listinfo/hsdivision HTTP/1.1" 200 6291"""));
    }

    [Fact]
    public void The_documented_match_pattern_example_drops_the_bytes_field()
    {
        var chain = Log("COMMONAPACHELOG", """
            , "matchPattern": "^([\\d.]+) (\\S+) (\\S+) \\[([\\w:/]+\\s[+\\-]\\d{4})\\] \"(.+?)\" (\\d{3})",
              "customFieldNames": ["host", "ident", "authuser", "datetime", "request", "response"]
            """);

        Assert.Equal(
            """{"host":"123.45.67.89","ident":null,"authuser":null,"datetime":"27/Oct/2000:09:27:09 -0400","request":"GET /java/javaResources.html HTTP/1.0","response":"200"}""",
            Run.ConvertedLine(chain, """123.45.67.89 - - [27/Oct/2000:09:27:09 -0400] "GET /java/javaResources.html HTTP/1.0" 200"""));
    }

    [Fact]
    public void A_match_pattern_must_match_the_whole_record()
    {
        var chain = Log("SYSLOG", """, "matchPattern": "(\\w+)=(\\w+)", "customFieldNames": ["k", "v"]""");

        Assert.Equal("""{"k":"a","v":"1"}""", Run.ConvertedLine(chain, "a=1"));
        Assert.Equal(ProcessingOutcome.Skipped, Run.Process(chain, "a=1 trailing").Outcome);
    }

    [Fact]
    public void A_group_that_took_no_part_is_null_and_a_dash_stays_a_dash_outside_Apache_formats()
    {
        var chain = Log("SYSLOG", """, "matchPattern": "(-)(x)?(y*)", "customFieldNames": ["dash", "x", "ys"]""");

        Assert.Equal("""{"dash":"-","x":null,"ys":""}""", Run.ConvertedLine(chain, "-"));
    }

    [Fact]
    public void A_dash_becomes_null_in_Apache_formats_even_with_a_custom_pattern()
    {
        var chain = Log("APACHEERRORLOG", """, "matchPattern": "(\\S+) (\\S+)", "customFieldNames": ["a", "b"]""");

        Assert.Equal("""{"a":null,"b":"--"}""", Run.ConvertedLine(chain, "- --"));
    }

    [Fact]
    public void A_CRLF_line_does_not_match_because_Java_dots_stop_at_carriage_returns()
    {
        var line = "Mar 12 12:01:02 server4 snort: message\r";

        Assert.Equal(ProcessingOutcome.Skipped, Run.Process(Log("SYSLOG"), line).Outcome);
    }

    [Fact]
    public void A_multi_line_record_does_not_match_a_single_line_format()
    {
        Assert.Equal(ProcessingOutcome.Skipped, Run.Process(Log("SYSLOG"), "Mar 12 12:01:02 server4 snort: one\ntwo").Outcome);
    }

    [Fact]
    public void Invalid_UTF8_is_decoded_with_replacement_characters()
    {
        var record = "Mar 12 12:01:02 server4 snort: bad "u8.ToArray().Concat(new byte[] { 0xFF }).ToArray();

        var (outcome, sent) = Run.Process(Log("SYSLOG"), record);

        Assert.Equal(ProcessingOutcome.Converted, outcome);
        Assert.EndsWith("\"message\":\"bad \uFFFD\"}\n", sent, StringComparison.Ordinal);
    }

    [Fact]
    public void PRETTYPRINT_output_spans_lines()
    {
        var chain = Log("SYSLOG", """, "jsonFormat": "PRETTYPRINT" """);

        Assert.Equal(
            "{\n  \"timestamp\" : \"Mar 12 12:01:02\",\n  \"hostname\" : \"server4\",\n  \"program\" : \"snort\",\n  \"processid\" : null,\n  \"message\" : \"up\"\n}",
            Run.ConvertedLine(chain, "Mar 12 12:01:02 server4 snort: up"));
    }
}
