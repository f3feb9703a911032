using Kinesis.Clients.Agent.Processing;

namespace Kinesis.Clients.Agent.Tests.Processing;

public sealed class SingleLineTests
{
    private static readonly ProcessingChain Chain = Run.Chain("""[ { "optionName": "SINGLELINE" } ]""");

    [Fact]
    public void A_pretty_printed_JSON_record_becomes_one_line_as_in_the_Java_agent()
    {
        var record = "{\n   \"a\": {\n           \"b\": 1,\n           \"c\": null,\n           \"d\": true\n    },\n   \"e\": \"f\",\n   \"g\": 2\n     }";

        Assert.Equal("{\"a\": {\"b\": 1,\"c\": null,\"d\": true},\"e\": \"f\",\"g\": 2}", Run.Converted(Chain, record));
    }

    [Fact]
    public void Lines_are_joined_without_a_separator()
    {
        Assert.Equal("java.lang.Exceptionat Foo.bar(Foo.java:1)at Main.main(Main.java:2)",
            Run.Converted(Chain, "java.lang.Exception\n\tat Foo.bar(Foo.java:1)\n\tat Main.main(Main.java:2)"));
    }

    [Fact]
    public void Every_character_up_to_a_space_is_trimmed_like_Java_String_trim()
    {
        Assert.Equal("ab", Run.Converted(Chain, "\t a \r\n\u0001b\u0000 "));
    }

    [Fact]
    public void A_clean_single_line_is_left_unchanged()
    {
        var (outcome, sent) = Run.Process(Chain, "already one line");

        Assert.Equal(ProcessingOutcome.Unchanged, outcome);
        Assert.Equal("already one line", sent);
    }

    [Fact]
    public void An_empty_record_is_left_unchanged()
    {
        Assert.Equal(ProcessingOutcome.Unchanged, Run.Process(Chain, "").Outcome);
    }

    [Fact]
    public void A_single_line_with_outer_whitespace_is_trimmed()
    {
        Assert.Equal("x", Run.Converted(Chain, "  x  "));
    }

    [Fact]
    public void NO_TRIM_keeps_each_line_as_it_is()
    {
        var chain = Run.Chain("""[ { "optionName": "SINGLELINE", "parseOptions": ["NO_TRIM"] } ]""");

        Assert.Equal(" a  b ", Run.Converted(chain, " a \n b "));
        Assert.Equal(ProcessingOutcome.Unchanged, Run.Process(chain, "  spaced  ").Outcome);
    }

    [Fact]
    public void ESCAPE_NEW_LINE_joins_lines_with_a_backslash_n()
    {
        var chain = Run.Chain("""[ { "optionName": "SINGLELINE", "parseOptions": ["ESCAPE_NEW_LINE"] } ]""");

        Assert.Equal(@"first\nsecond\n\nfourth", Run.Converted(chain, "first\n  second\n\n fourth"));
    }

    [Fact]
    public void Trailing_empty_lines_vanish_but_a_trailing_blank_line_leaves_an_empty_piece()
    {
        var chain = Run.Chain("""[ { "optionName": "SINGLELINE", "parseOptions": ["ESCAPE_NEW_LINE"] } ]""");

        Assert.Equal("a", Run.Converted(chain, "a\n\n\n"));
        Assert.Equal(@"a\n", Run.Converted(chain, "a\n \n"));
        Assert.Equal(@"\na", Run.Converted(chain, "\na"));
        Assert.Equal("", Run.Converted(chain, "\n\n"));
    }

    [Fact]
    public void Invalid_UTF8_passes_through_byte_for_byte()
    {
        var output = new System.Buffers.ArrayBufferWriter<byte>();

        Assert.Equal(ProcessingOutcome.Converted, Chain.Process([0xFF, (byte)'\n', 0xC3], output));
        Assert.Equal([0xFF, 0xC3], output.WrittenSpan.ToArray());
    }
}
