using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Tests.Configuration;

public sealed class JavaRegexTests
{
    private static bool Matches(string java, string input) => JavaRegex.Compile(java, JavaRegexAnchor.Full).IsMatch(input);

    [Theory]
    [InlineData(@"\d+", "123", true)]
    [InlineData(@"\d+", "١٢٣", false)]
    [InlineData(@"\w+", "abc_9", true)]
    [InlineData(@"\w+", "é", false)]
    [InlineData(@"\s", "\u00A0", false)]
    [InlineData(@"\s", "\u000B", true)]
    [InlineData(@"[\d\w]+", "a1", true)]
    [InlineData(@"[\w]+", "é", false)]
    public void Shorthand_classes_are_ASCII_as_in_Java(string java, string input, bool expected) =>
        Assert.Equal(expected, Matches(java, input));

    [Theory]
    [InlineData("a.c", "a\rc", false)]
    [InlineData("a.c", "a\u2028c", false)]
    [InlineData("a.c", "a\tc", true)]
    [InlineData("(?s)a.c", "a\rc", true)]
    [InlineData("a(?s:.)c.", "a\nc\n", false)]
    public void Dot_stops_at_every_Java_line_terminator(string java, string input, bool expected) =>
        Assert.Equal(expected, Matches(java, input));

    [Theory]
    [InlineData("abc$", "abc\r\n", true)]
    [InlineData("abc$", "abc\u0085", true)]
    [InlineData("abc$", "abc\nx", false)]
    [InlineData("(?m)^b$", "b", true)]
    public void Dollar_allows_any_final_Java_line_terminator(string java, string input, bool expected)
    {
        var regex = JavaRegex.Compile(java, JavaRegexAnchor.None);

        Assert.Equal(expected, regex.IsMatch(input));
    }

    [Fact]
    public void Multiline_anchors_know_carriage_returns()
    {
        var regex = JavaRegex.Compile("(?m)^b$", JavaRegexAnchor.None);

        Assert.Matches(regex, "a\rb\rc");
    }

    [Fact]
    public void Possessive_quantifiers_do_not_give_back()
    {
        Assert.False(Matches("a*+a", "aaa"));
        Assert.True(Matches("a*+b", "aaab"));
        Assert.False(Matches("(ab)++ab", "ababab"));
        Assert.False(Matches("[ab]{1,3}+b", "abb"));
    }

    [Fact]
    public void Quoted_text_is_literal()
    {
        Assert.True(Matches(@"\Q[a.b]*\E+", "[a.b]**"));
        Assert.False(Matches(@"\Q[a.b]\E", "[axb]"));
    }

    [Fact]
    public void Named_groups_are_numbered_in_order_like_Java()
    {
        var regex = JavaRegex.Compile(@"(?<first>a)(b)(?<third>c)\k<first>\2", JavaRegexAnchor.Full);
        var match = regex.Match("abcab");

        Assert.True(match.Success);
        Assert.Equal(3, JavaRegex.GroupCount(regex));
        Assert.Equal(["a", "b", "c"], [match.Groups[1].Value, match.Groups[2].Value, match.Groups[3].Value]);
    }

    [Fact]
    public void A_back_reference_takes_only_digits_that_name_an_existing_group()
    {
        Assert.True(Matches(@"(a)\10", "aa0"));
    }

    [Theory]
    [InlineData(@"\p{Alpha}+", "abcXYZ", true)]
    [InlineData(@"\p{Alpha}", "é", false)]
    [InlineData(@"\p{Punct}", "!", true)]
    [InlineData(@"[\p{Digit}x]+", "1x2", true)]
    [InlineData(@"\P{Digit}", "1", false)]
    [InlineData(@"\p{L}", "é", true)]
    [InlineData(@"\p{IsL}", "é", true)]
    [InlineData(@"\h", "\u00A0", true)]
    [InlineData(@"\v", "\u2028", true)]
    [InlineData(@"a\Rb", "a\r\nb", true)]
    [InlineData(@"\x{1F600}", "😀", true)]
    [InlineData(@"\0101", "A", true)]
    public void Java_only_escapes_are_translated(string java, string input, bool expected) =>
        Assert.Equal(expected, Matches(java, input));

    [Fact]
    public void Comments_mode_ignores_whitespace_and_comments_but_not_escaped_spaces()
    {
        Assert.True(Matches("(?x) a b # letters\n c", "abc"));
        Assert.True(Matches(@"(?x) a\ b", "a b"));
    }

    [Fact]
    public void Case_insensitivity_is_kept()
    {
        Assert.True(Matches("(?i)abc", "ABC"));
        Assert.True(Matches("(?i:a)b", "Ab"));
        Assert.False(Matches("(?i:a)b", "AB"));
    }

    [Theory]
    [InlineData("[a[b]]", "nested character classes")]
    [InlineData("[a-z&&[^b]]", "intersections")]
    [InlineData("[a-z&&b]", "intersections")]
    [InlineData("(?U)a", "UNICODE_CHARACTER_CLASS")]
    [InlineData(@"[\D]", "inside [...]")]
    [InlineData(@"\p{javaLowerCase}", "java.lang.Character")]
    [InlineData("(a", "unclosed group")]
    [InlineData("a)", "unmatched ')'")]
    [InlineData(@"\k<x>", "no group named 'x'")]
    public void Java_only_or_malformed_syntax_is_refused(string java, string why)
    {
        var error = Assert.ThrowsAny<ArgumentException>(() => JavaRegex.Compile(java, JavaRegexAnchor.None));

        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_anchoring_is_Java_lookingAt()
    {
        var regex = JavaRegex.Compile(@"\d{4}-", JavaRegexAnchor.Start);

        Assert.Matches(regex, "2024-01-01 text");
        Assert.DoesNotMatch(regex, "at 2024-01-01");
    }

    [Fact]
    public void Full_anchoring_is_Java_matches_even_with_alternation()
    {
        var regex = JavaRegex.Compile("a|ab", JavaRegexAnchor.Full);

        Assert.Matches(regex, "ab");
        Assert.DoesNotMatch(regex, "abc");
    }
}
