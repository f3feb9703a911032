using Kinesis.Clients.Agent.Processing;

namespace Kinesis.Clients.Agent.Tests.Processing;

/// <summary>SINGLELINE as the Java agent's SingleLineDataConverter: records keep their '\n' and leave with one.</summary>
public sealed class SingleLineTests
{
    private static readonly ProcessingChain Chain = Run.Chain("""[ { "optionName": "SINGLELINE" } ]""");

    [Fact]
    public void A_pretty_printed_JSON_record_becomes_one_line_as_in_the_Java_agent()
    {
        var record = "{\n   \"a\": {\n           \"b\": 1,\n           \"c\": null,\n           \"d\": true\n    },\n   \"e\": \"f\",\n   \"g\": 2\n     }\n";

        Assert.Equal("{\"a\": {\"b\": 1,\"c\": null,\"d\": true},\"e\": \"f\",\"g\": 2}\n", Run.Converted(Chain, record));
    }

    [Fact]
    public void Lines_are_joined_without_a_separator()
    {
        Assert.Equal("java.lang.Exceptionat Foo.bar(Foo.java:1)at Main.main(Main.java:2)\n",
            Run.Converted(Chain, "java.lang.Exception\n\tat Foo.bar(Foo.java:1)\n\tat Main.main(Main.java:2)\n"));
    }

    [Fact]
    public void Every_character_up_to_a_space_is_trimmed_like_Java_String_trim()
    {
        Assert.Equal("ab\n", Run.Converted(Chain, "\t a \r\n\u0001b\u0000 \n"));
    }

    [Fact]
    public void A_clean_single_line_comes_back_as_it_was()
    {
        Assert.Equal("already one line\n", Run.Converted(Chain, "already one line\n"));
    }

    [Fact]
    public void An_empty_record_becomes_one_line_break_as_Java_appends_it()
    {
        Assert.Equal("\n", Run.Converted(Chain, ""));
        Assert.Equal("\n", Run.Converted(Chain, "\n"));
    }

    [Fact]
    public void A_single_line_with_outer_whitespace_is_trimmed()
    {
        Assert.Equal("x\n", Run.Converted(Chain, "  x  \n"));
    }

    [Fact]
    public void NO_TRIM_keeps_each_line_as_it_is()
    {
        var chain = Run.Chain("""[ { "optionName": "SINGLELINE", "parseOptions": ["NO_TRIM"] } ]""");

        Assert.Equal(" a  b \n", Run.Converted(chain, " a \n b \n"));
        Assert.Equal("  spaced  \r\n", Run.Converted(chain, "  spaced  \r\n"));
    }

    [Fact]
    public void ESCAPE_NEW_LINE_joins_lines_with_the_three_characters_of_Javas_delimiter_literal()
    {
        var chain = Run.Chain("""[ { "optionName": "SINGLELINE", "parseOptions": ["ESCAPE_NEW_LINE"] } ]""");

        Assert.Equal("first\\\\nsecond\\\\n\\\\nfourth\n", Run.Converted(chain, "first\n  second\n\n fourth\n"));
    }

    [Fact]
    public void Trailing_empty_lines_vanish_but_a_trailing_blank_line_leaves_an_empty_piece()
    {
        var chain = Run.Chain("""[ { "optionName": "SINGLELINE", "parseOptions": ["ESCAPE_NEW_LINE"] } ]""");

        Assert.Equal("a\n", Run.Converted(chain, "a\n\n\n"));
        Assert.Equal("a\\\\n\n", Run.Converted(chain, "a\n \n"));
        Assert.Equal("\\\\na\n", Run.Converted(chain, "\na"));
        Assert.Equal("\n", Run.Converted(chain, "\n\n"));
    }

    [Fact]
    public void Invalid_UTF8_passes_through_byte_for_byte()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        Assert.Equal(ProcessingOutcome.Converted, Chain.Process([0xFF, (byte)'\n', 0xC3, (byte)'\n'], output));
        Assert.Equal([0xFF, 0xC3, (byte)'\n'], output.WrittenSpan.ToArray());
    }
}
