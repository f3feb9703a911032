using Kinesis.Clients.Agent.Processing;

namespace Kinesis.Clients.Agent.Tests.Processing;

public sealed class CsvToJsonTests
{
    private static ProcessingChain Csv(string delimiterMember = "", string names = """["column1", "column2", "column3", "column4"]""") =>
        Run.Chain($$"""[ { "optionName": "CSVTOJSON", "customFieldNames": {{names}}{{delimiterMember}} } ]""");

    [Fact]
    public void Values_keep_their_spaces_and_line_breaks_as_in_the_Java_agent()
    {
        Assert.Equal("""{"column1":"value1","column2":" value2","column3":"valu\ne3","column4":"    value4"}""",
            Run.ConvertedLine(Csv(), "value1, value2,valu\ne3,    value4"));
    }

    [Fact]
    public void Missing_columns_are_null()
    {
        Assert.Equal("""{"column1":"value1","column2":" value2","column3":"value3","column4":null}""",
            Run.ConvertedLine(Csv(), "value1, value2,value3"));
    }

    [Fact]
    public void Extra_columns_are_dropped()
    {
        Assert.Equal("""{"column1":"value1","column2":"value2","column3":"value3","column4":"value4"}""",
            Run.ConvertedLine(Csv(), "value1,value2,value3,value4,value5"));
    }

    [Fact]
    public void A_backslash_t_delimiter_splits_on_tabs()
    {
        Assert.Equal("""{"column1":"value1","column2":" value2","column3":"value3","column4":"    value4"}""",
            Run.ConvertedLine(Csv(""", "delimiter": "\\t" """), "value1\t value2\tvalue3\t    value4"));
    }

    [Fact]
    public void Every_empty_field_at_the_end_is_dropped_like_Java_split_but_inner_ones_stay_empty()
    {
        Assert.Equal("""{"column1":"a","column2":null,"column3":null,"column4":null}""", Run.ConvertedLine(Csv(), "a,,,"));
        Assert.Equal("""{"column1":"a","column2":"","column3":"c","column4":null}""", Run.ConvertedLine(Csv(), "a,,c,,"));
        Assert.Equal("""{"column1":"a","column2":"","column3":"","column4":"d"}""", Run.ConvertedLine(Csv(), "a,,,d"));
        Assert.Equal("""{"column1":"","column2":"b","column3":null,"column4":null}""", Run.ConvertedLine(Csv(), ",b"));
    }

    [Fact]
    public void Only_delimiters_give_all_nulls_and_an_empty_record_one_empty_field()
    {
        Assert.Equal("""{"column1":null,"column2":null,"column3":null,"column4":null}""", Run.ConvertedLine(Csv(), ",,,"));
        Assert.Equal("""{"column1":"","column2":null,"column3":null,"column4":null}""", Run.ConvertedLine(Csv(), ""));
    }

    [Fact]
    public void Quotes_are_not_interpreted()
    {
        Assert.Equal("""{"column1":"\"a","column2":"b\"","column3":"c","column4":null}""", Run.ConvertedLine(Csv(), "\"a,b\",c"));
    }

    [Fact]
    public void A_multi_character_literal_delimiter_is_matched_whole()
    {
        Assert.Equal("""{"column1":"a","column2":"b:c","column3":"d","column4":null}""", Run.ConvertedLine(Csv(""", "delimiter": "::" """), "a::b:c::d"));
    }

    [Fact]
    public void A_regex_delimiter_is_a_Java_regex()
    {
        Assert.Equal("""{"column1":"a","column2":"b","column3":"c","column4":null}""",
            Run.ConvertedLine(Csv(""", "delimiter": "\\s*;\\s*" """), "a ; b;c"));
    }

    [Fact]
    public void A_bare_pipe_delimiter_splits_between_every_character_as_Java_does()
    {
        Assert.Equal("""{"column1":"a","column2":"|","column3":"b","column4":null}""", Run.ConvertedLine(Csv(""", "delimiter": "|" """), "a|b"));
        Assert.Equal("""{"column1":"a","column2":"b","column3":null,"column4":null}""", Run.ConvertedLine(Csv(""", "delimiter": "\\|" """), "a|b"));
    }

    [Fact]
    public void A_zero_width_match_at_the_start_makes_no_empty_first_field()
    {
        Assert.Equal("""{"column1":"a","column2":"b","column3":null,"column4":null}""", Run.ConvertedLine(Csv(""", "delimiter": "(?=b)|^" """), "ab"));
    }

    [Fact]
    public void Control_characters_are_escaped_as_Jackson_does_and_the_rest_stays_raw()
    {
        var chain = Csv(names: """["v"]""");

        Assert.Equal("{\"v\":\"\\u0001\\b\\f\\r\\t\\u001F\u007F/é😀\u2028\"}", Run.ConvertedLine(chain, "\u0001\b\f\r\t\u001F\u007F/é😀\u2028"));
    }

    [Fact]
    public void Invalid_UTF8_becomes_replacement_characters_as_Java_decodes_it()
    {
        var (outcome, sent) = Run.Process(Csv(names: """["a","b"]"""), [0x61, 0xFF, (byte)',', 0xE2, 0x82]);

        Assert.Equal(ProcessingOutcome.Converted, outcome);
        Assert.Equal("{\"a\":\"a\uFFFD\",\"b\":\"\uFFFD\"}\n", sent);
    }

    [Fact]
    public void Field_names_are_escaped()
    {
        Assert.Equal("""{"say \"hi\"":"x"}""", Run.ConvertedLine(Csv(names: """["say \"hi\""]"""), "x"));
    }

    [Fact]
    public void Many_field_names_are_handled_beyond_the_stack_buffer()
    {
        var names = "[" + string.Join(",", Enumerable.Range(0, 100).Select(i => $"\"f{i}\"")) + "]";
        var json = Run.ConvertedLine(Csv(names: names), string.Join(",", Enumerable.Range(0, 99)));

        Assert.EndsWith("\"f98\":\"98\",\"f99\":null}", json, StringComparison.Ordinal);
    }

    [Fact]
    public void PRETTYPRINT_lays_the_object_out_as_Jackson()
    {
        var chain = Run.Chain("""[ { "optionName": "CSVTOJSON", "customFieldNames": ["a", "b"], "jsonFormat": "PRETTYPRINT" } ]""");

        Assert.Equal("{\n  \"a\" : \"1\",\n  \"b\" : null\n}", Run.ConvertedLine(chain, "1"));
    }
}
