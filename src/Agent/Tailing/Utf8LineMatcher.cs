using System.Text;
using System.Text.RegularExpressions;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// Matches Java patterns against lines held as UTF-8 bytes, decoding into one reused char buffer (a framer's start
/// and footer patterns run on every line of a multi-line or footer flow). Not thread-safe: one per framer.
/// </summary>
internal sealed class Utf8LineMatcher
{
    // Java's String.trim removes every character up to U+0020 at either end.
    private static readonly char[] JavaTrimmed = [.. Enumerable.Range(0, 33).Select(i => (char)i)];

    private char[] _chars = [];

    /// <summary>Whether <paramref name="pattern"/> matches the decoded <paramref name="utf8"/> (trimmed as Java's <c>String.trim</c> when asked).</summary>
    public bool IsMatch(Regex pattern, ReadOnlySpan<byte> utf8, bool javaTrim = false)
    {
        var needed = Encoding.UTF8.GetMaxCharCount(utf8.Length);
        if (_chars.Length < needed)
        {
            _chars = new char[Math.Max(needed, 256)];
        }

        var text = _chars.AsSpan(0, Encoding.UTF8.GetChars(utf8, _chars));
        return pattern.IsMatch(javaTrim ? text.Trim(JavaTrimmed) : text);
    }
}
