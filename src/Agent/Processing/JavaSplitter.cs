using System.Buffers;
using System.Text;
using System.Text.RegularExpressions;
using Kinesis.Clients.Agent.Configuration;

namespace Kinesis.Clients.Agent.Processing;

/// <summary>
/// Java's <c>String.split(delimiter)</c>, which the Java agent's CSVTOJSON uses: the delimiter is a regular
/// expression (a lone character other than <c>.$|()[{^?*+\</c>, or a backslash and a non-alphanumeric, is
/// taken literally); a positive-width match at the start yields an empty first field but a zero-width one
/// does not; no match at all yields the whole input; empty fields at the end are dropped.
/// </summary>
internal sealed class JavaSplitter
{
    private static readonly SearchValues<char> RegexMetacharacters = SearchValues.Create("\\^$.|?*+()[]{}");

    private readonly byte[]? _literal;
    private readonly Regex? _regex;

    private JavaSplitter(byte[]? literal, Regex? regex)
    {
        _literal = literal;
        _regex = regex;
    }

    /// <summary>Whether the delimiter is matched on the UTF-8 bytes directly (no regex, no decoding).</summary>
    public bool IsLiteral => _literal is not null;

    /// <summary>Builds the splitter for <paramref name="delimiter"/>.</summary>
    /// <exception cref="ArgumentException">The delimiter is empty or not a usable Java regular expression.</exception>
    public static JavaSplitter Create(string delimiter)
    {
        ArgumentException.ThrowIfNullOrEmpty(delimiter);
        var literal = delimiter switch
        {
            [var c] when !".$|()[{^?*+\\".Contains(c, StringComparison.Ordinal) && !char.IsSurrogate(c) => c.ToString(),
            ['\\', var c] when !char.IsAsciiLetterOrDigit(c) && !char.IsSurrogate(c) => c.ToString(),
            @"\t" => "\t",
            _ when delimiter.AsSpan().IndexOfAny(RegexMetacharacters) < 0 => delimiter,
            _ => null,
        };
        return literal is not null
            ? new JavaSplitter(Encoding.UTF8.GetBytes(literal), null)
            : new JavaSplitter(null, JavaRegex.Compile(delimiter, JavaRegexAnchor.None));
    }

    /// <summary>
    /// Splits valid UTF-8 on a literal delimiter. The first fields' byte ranges land in
    /// <paramref name="fields"/>; returns how many fields Java's split would return (possibly more than fit).
    /// </summary>
    public int Split(ReadOnlySpan<byte> utf8, Span<Range> fields)
    {
        var delimiter = _literal!;
        var count = 0;
        var kept = 0;
        var start = 0;
        while (true)
        {
            var at = utf8[start..].IndexOf(delimiter);
            var end = at < 0 ? utf8.Length : start + at;
            if (at < 0 && count == 0)
            {
                // No match: the whole input is the one field, even when empty.
                Store(fields, 0, new Range(0, utf8.Length));
                return 1;
            }

            Store(fields, count, new Range(start, end));
            count++;
            kept = end > start ? count : kept;
            if (at < 0)
            {
                return kept;
            }

            start = end + delimiter.Length;
        }
    }

    /// <summary>Splits text on the regex delimiter; same contract as the byte overload, with char ranges.</summary>
    public int Split(ReadOnlySpan<char> text, Span<Range> fields)
    {
        var count = 0;
        var kept = 0;
        var start = 0;
        foreach (var match in _regex!.EnumerateMatches(text))
        {
            if (match.Index == 0 && match.Length == 0)
            {
                continue;
            }

            Store(fields, count, new Range(start, match.Index));
            count++;
            kept = match.Index > start ? count : kept;
            start = match.Index + match.Length;
        }

        if (count == 0)
        {
            Store(fields, 0, new Range(0, text.Length));
            return 1;
        }

        Store(fields, count, new Range(start, text.Length));
        count++;
        return text.Length > start ? count : kept;
    }

    private static void Store(Span<Range> fields, int index, Range range)
    {
        if (index < fields.Length)
        {
            fields[index] = range;
        }
    }
}
