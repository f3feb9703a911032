using System.Text.RegularExpressions;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>How a translated Java pattern is applied.</summary>
internal enum JavaRegexAnchor
{
    /// <summary>Anywhere in the input: Java's <c>Matcher.find</c>.</summary>
    None,

    /// <summary>At the start of the input, need not reach the end: Java's <c>Matcher.lookingAt</c>.</summary>
    Start,

    /// <summary>The whole input: Java's <c>Matcher.matches</c>.</summary>
    Full,
}

/// <summary>
/// Compiles the Java regular expressions of an Amazon Kinesis Agent configuration for .NET, keeping Java's
/// meaning where the two dialects differ (see <see cref="JavaRegexTranslator"/> and the README).
/// </summary>
internal static class JavaRegex
{
    /// <summary>How long one match may run; a pattern that backtracks longer fails that record, not the agent.</summary>
    /// <remarks>
    /// One second, not less: the timeout is wall-clock time, so on a busy host (or the first match of a compiled
    /// pattern, which the runtime compiles then) an ordinary match can take tens of milliseconds, and a failed
    /// match sends the line unconverted. A catastrophically backtracking pattern still stops within the second.
    /// </remarks>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    private const RegexOptions Options = RegexOptions.Compiled | RegexOptions.CultureInvariant;

    /// <summary>Translates and compiles <paramref name="javaPattern"/>.</summary>
    /// <exception cref="ArgumentException">The pattern is invalid, or uses Java syntax .NET cannot express.</exception>
    public static Regex Compile(string javaPattern, JavaRegexAnchor anchor)
    {
        var translated = JavaRegexTranslator.Translate(javaPattern);
        var text = anchor switch
        {
            JavaRegexAnchor.Full => @"\A(?:" + translated + @")\z",
            JavaRegexAnchor.Start => @"\A(?:" + translated + ")",
            _ => translated,
        };
        return new Regex(text, Options, MatchTimeout);
    }

    /// <summary>The number of capture groups, numbered as Java numbers them (named groups included, in order).</summary>
    public static int GroupCount(Regex regex) => regex.GetGroupNumbers().Length - 1;
}
