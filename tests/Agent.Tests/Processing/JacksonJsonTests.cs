using System.Buffers;
using System.Text;
using Kinesis.Clients.Agent.Processing;

namespace Kinesis.Clients.Agent.Tests.Processing;

public sealed class JacksonJsonTests
{
    [Theory]
    [InlineData(1.0, "1.0")]
    [InlineData(100.0, "100.0")]
    [InlineData(0.001, "0.001")]
    [InlineData(0.0001, "1.0E-4")]
    [InlineData(1234567.0, "1234567.0")]
    [InlineData(10000000.0, "1.0E7")]
    [InlineData(-2.5e-10, "-2.5E-10")]
    [InlineData(0.1, "0.1")]
    [InlineData(123.456, "123.456")]
    [InlineData(1e21, "1.0E21")]
    [InlineData(0.0, "0.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(double.MaxValue, "1.7976931348623157E308")]
    public void Doubles_are_formatted_as_Java_Double_toString(double value, string expected) =>
        Assert.Equal(expected, JavaDouble.Format(value));

    [Fact]
    public void Strings_escape_only_quotes_backslashes_and_control_characters()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var all = string.Concat(Enumerable.Range(0, 0x80).Select(c => (char)c));

        JacksonJson.WriteString(buffer, Encoding.UTF8.GetBytes(all));

        var expected = "\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007\\b\\t\\n\\u000B\\f\\r\\u000E\\u000F"
            + "\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015\\u0016\\u0017\\u0018\\u0019\\u001A\\u001B\\u001C\\u001D\\u001E\\u001F"
            + " !\\\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\\\]^_`abcdefghijklmnopqrstuvwxyz{|}~\u007F\"";
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Long_UTF16_text_is_escaped_through_a_rented_buffer()
    {
        var buffer = new ArrayBufferWriter<byte>();
        var text = new string('é', 1000) + "\"";

        JacksonJson.WriteString(buffer, text.AsSpan());

        Assert.Equal("\"" + new string('é', 1000) + "\\\"\"", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Pretty_printing_an_empty_object_gives_Jacksons_spaced_braces()
    {
        var buffer = new ArrayBufferWriter<byte>();

        JacksonPrettyPrinter.Write("{}"u8, buffer);

        Assert.Equal("{ }", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }
}
