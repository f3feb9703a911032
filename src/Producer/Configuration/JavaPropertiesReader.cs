using System.Text;

namespace Kinesis.Clients.Producer.Configuration;

/// <summary>One <c>key = value</c> entry of a Java properties file, with the line it starts on.</summary>
internal readonly record struct PropertyEntry(string Key, string Value, int Line);

/// <summary>
/// Reads the Java <c>.properties</c> syntax the KPL's <c>fromPropertiesFile</c> reads (java.util.Properties.load):
/// <c>#</c> and <c>!</c> comment lines, blank lines, <c>key=value</c>, <c>key:value</c> or <c>key value</c>, a
/// trailing backslash continuing a line, and the escapes <c>\t \n \r \f \uXXXX</c>.
/// </summary>
internal static class JavaPropertiesReader
{
    public static List<PropertyEntry> Read(TextReader reader)
    {
        var entries = new List<PropertyEntry>();
        var number = 0;
        while (reader.ReadLine() is { } line)
        {
            number++;
            var start = number;
            var text = line.TrimStart(' ', '\t', '\f');
            if (text.Length == 0 || text[0] is '#' or '!')
            {
                continue;
            }

            // A line ending in an odd number of backslashes goes on, without the next line's leading blanks.
            var logical = new StringBuilder();
            while (EndsWithOpenBackslash(text))
            {
                logical.Append(text, 0, text.Length - 1);
                if (reader.ReadLine() is not { } next)
                {
                    text = "";
                    break;
                }

                number++;
                text = next.TrimStart(' ', '\t', '\f');
            }

            logical.Append(text);
            entries.Add(Split(logical.ToString(), start));
        }

        return entries;
    }

    private static bool EndsWithOpenBackslash(string text)
    {
        var count = 0;
        for (var i = text.Length - 1; i >= 0 && text[i] == '\\'; i--)
        {
            count++;
        }

        return count % 2 == 1;
    }

    private static PropertyEntry Split(string text, int line)
    {
        var i = 0;
        while (i < text.Length && !IsSeparator(text[i]))
        {
            i += text[i] == '\\' ? 2 : 1;
        }

        var keyEnd = Math.Min(i, text.Length);
        while (i < text.Length && text[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        if (i < text.Length && text[i] is '=' or ':')
        {
            i++;
        }

        while (i < text.Length && text[i] is ' ' or '\t' or '\f')
        {
            i++;
        }

        return new PropertyEntry(Unescape(text[..keyEnd], line), Unescape(text[i..], line), line);
    }

    private static bool IsSeparator(char c) => c is '=' or ':' or ' ' or '\t' or '\f';

    private static string Unescape(string text, int line)
    {
        if (!text.Contains('\\', StringComparison.Ordinal))
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] != '\\' || i == text.Length - 1)
            {
                result.Append(text[i]);
                continue;
            }

            var c = text[++i];
            switch (c)
            {
                case 't': result.Append('\t'); break;
                case 'n': result.Append('\n'); break;
                case 'r': result.Append('\r'); break;
                case 'f': result.Append('\f'); break;
                case 'u':
                    if (i + 4 >= text.Length || !ushort.TryParse(text.AsSpan(i + 1, 4), System.Globalization.NumberStyles.HexNumber, null, out var code))
                    {
                        throw new FormatException($"Line {line}: '\\u' must be followed by four hexadecimal digits.");
                    }

                    result.Append((char)code);
                    i += 4;
                    break;
                default: result.Append(c); break;
            }
        }

        return result.ToString();
    }
}
