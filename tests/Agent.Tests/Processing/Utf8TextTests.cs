using Kinesis.Clients.Agent.Processing;

namespace Kinesis.Clients.Agent.Tests.Processing;

/// <summary>Invalid UTF-8 read as Java's <c>new String(bytes, UTF_8)</c> reads it (its String decoder's rules).</summary>
public sealed class Utf8TextTests
{
    [Theory]
    [InlineData("61C328", "a\uFFFD(")]          // a lead byte followed by no continuation: one replacement, the byte kept
    [InlineData("FFFE", "\uFFFD\uFFFD")]          // bytes that never occur in UTF-8: one each
    [InlineData("EDA080", "\uFFFD")]              // a surrogate in three bytes (CESU-8): one for all three
    [InlineData("EDBFBF41", "\uFFFDA")]
    [InlineData("E08080", "\uFFFD\uFFFD\uFFFD")]  // an overlong form: the lead, then each continuation
    [InlineData("C080", "\uFFFD\uFFFD")]
    [InlineData("F4908080", "\uFFFD\uFFFD\uFFFD\uFFFD")] // above U+10FFFF
    [InlineData("E2820A", "\uFFFD\n")]            // a sequence cut short by the line break
    [InlineData("F09F980A", "\uFFFD\n")]
    [InlineData("F09F9880", "\U0001F600")]        // valid stays as it is
    public void Each_malformed_sequence_becomes_what_Java_makes_of_it(string hex, string expected)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Equal(expected, Utf8Text.Decode(bytes));
        Assert.Equal(System.Text.Encoding.UTF8.GetBytes(expected), Utf8Text.Repair(bytes).ToArray());
    }
}
