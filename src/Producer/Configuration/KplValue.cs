using System.Globalization;
using System.Text.RegularExpressions;

namespace Kinesis.Clients.Producer.Configuration;

/// <summary>
/// One value of a KPL properties file, parsed as the KPL's setters take it (decimal integers, milliseconds,
/// booleans, patterns), with errors that name the key, the line and the KPL's range.
/// </summary>
internal readonly struct KplValue
{
    public KplValue(string key, string text, int line, string source)
    {
        Key = key;
        Text = text;
        Line = line;
        Source = source;
    }

    public string Key { get; }

    public string Text { get; }

    public int Line { get; }

    public string Source { get; }

    /// <summary>A decimal integer (Java's Long.valueOf: an optional sign, digits) in [min, max].</summary>
    public long Long(long min, long max)
    {
        if (!long.TryParse(Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            throw Invalid($"an integer between {min} and {max}");
        }

        return value >= min && value <= max ? value : throw Invalid($"between {min} and {max}");
    }

    /// <summary>Milliseconds in [min, max], as a time span (a KPL value beyond what a TimeSpan holds means "forever").</summary>
    public TimeSpan Millis(long min, long max)
    {
        var value = Long(min, max);
        return value >= (long)TimeSpan.MaxValue.TotalMilliseconds ? TimeSpan.MaxValue : TimeSpan.FromMilliseconds(value);
    }

    /// <summary>
    /// <c>true</c> or <c>false</c>, in any case. Java's Boolean.valueOf reads every other word as false; a typo
    /// here is an error instead.
    /// </summary>
    public bool Bool() =>
        Text.Equals("true", StringComparison.OrdinalIgnoreCase) ? true
        : Text.Equals("false", StringComparison.OrdinalIgnoreCase) ? false
        : throw Invalid("true or false");

    /// <summary>One of the '|'-separated words of <paramref name="pattern"/> (any case), mapped in order to <paramref name="values"/>.</summary>
    public T OneOf<T>(string pattern, params T[] values)
    {
        var words = pattern.Split('|');
        for (var i = 0; i < words.Length; i++)
        {
            if (Text.Equals(words[i], StringComparison.OrdinalIgnoreCase))
            {
                return values[i];
            }
        }

        throw Invalid($"one of {string.Join(", ", words)}");
    }

    public string Matching(Regex regex, string pattern) => regex.IsMatch(Text) ? Text : throw Invalid($"text matching {pattern}");

    // The value itself is left out of errors for secrets.
    public ArgumentException Invalid(string expected)
    {
        var got = Key.Contains("Password", StringComparison.OrdinalIgnoreCase) ? "" : $"; got '{Text}'";
        return new ArgumentException($"{Source} line {Line}: {Key} must be {expected}{got}.", Key);
    }
}
