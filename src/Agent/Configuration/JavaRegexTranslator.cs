using System.Globalization;
using System.Text;

namespace Kinesis.Clients.Agent.Configuration;

/// <summary>
/// Rewrites a Java regular expression as a .NET one with the same meaning. Java's <c>\d \w \s</c> are ASCII
/// (.NET's are Unicode); Java's <c>.</c> and <c>$</c> know five line terminators (.NET's only <c>\n</c>);
/// possessive quantifiers, <c>\Q..\E</c>, <c>\h \v \R</c>, POSIX <c>\p{Alpha}</c> classes and <c>\x{..}</c> do
/// not exist in .NET. Named groups become plain groups so .NET numbers every group as Java does (in order of
/// their opening parenthesis). Nested classes and <c>&amp;&amp;</c> intersections are refused.
/// </summary>
internal sealed class JavaRegexTranslator
{
    private const string Digit = "0-9";
    private const string Word = "a-zA-Z0-9_";
    private const string Space = @"\t\n\x0B\f\r\x20";
    private const string HorizontalSpace = @"\x20\t\xA0\u1680\u180E\u2000-\u200A\u202F\u205F\u3000";
    private const string VerticalSpace = @"\n\x0B\f\r\x85\u2028\u2029";
    private const string LineTerminators = @"\n\r\x85\u2028\u2029";

    private readonly string _src;
    private readonly StringBuilder _out = new();
    private readonly Stack<(int Start, Flags Saved)> _frames = new();
    private readonly Dictionary<string, int> _named = new(StringComparer.Ordinal);
    private int _i;
    private int _groups;
    private int _atomStart = -1;
    private Flags _flags;

    private JavaRegexTranslator(string src) => _src = src;

    [Flags]
    private enum Flags
    {
        None = 0,
        Comments = 1,
        DotAll = 2,
        Multiline = 4,
        IgnoreCase = 8,
    }

    /// <summary>Translates <paramref name="javaPattern"/>.</summary>
    /// <exception cref="ArgumentException">Java syntax .NET cannot express, or a malformed pattern.</exception>
    public static string Translate(string javaPattern) => new JavaRegexTranslator(javaPattern).Run();

    private string Run()
    {
        while (_i < _src.Length)
        {
            var c = _src[_i];
            if (SkipComment(c))
            {
                continue;
            }

            switch (c)
            {
                case '\\': Escape(); break;
                case '[': CharClass(); break;
                case '(': OpenGroup(); break;
                case ')': CloseGroup(); break;
                case '*' or '+' or '?': Quantifier(); break;
                case '{' when IsBoundsQuantifier(): Quantifier(); break;
                case '.':
                    Atom((_flags & Flags.DotAll) != 0 ? @"[\s\S]" : "[^" + LineTerminators + "]");
                    _i++;
                    break;
                case '$':
                    // Java's $ also stops before a final \r\n, \r, \u0085, \u2028 or \u2029.
                    _out.Append((_flags & Flags.Multiline) != 0
                        ? "(?=[" + LineTerminators + @"]|\z)"
                        : @"(?=(?:\r\n|[" + LineTerminators + @"])?\z)");
                    _atomStart = -1;
                    _i++;
                    break;
                case '^':
                    _out.Append((_flags & Flags.Multiline) != 0
                        ? @"(?:\A|(?<=[\n\x85\u2028\u2029]|\r(?!\n))(?!\z))"
                        : "^");
                    _atomStart = -1;
                    _i++;
                    break;
                case '|':
                    _out.Append('|');
                    _atomStart = -1;
                    _i++;
                    break;
                default:
                    Atom(c is '{' or '}' or ']' or '#' or ' ' ? "\\" + c : c.ToString());
                    _i++;
                    break;
            }
        }

        return _frames.Count > 0 ? throw Fail("unclosed group '('") : _out.ToString();
    }

    private bool SkipComment(char c)
    {
        if ((_flags & Flags.Comments) == 0)
        {
            return false;
        }

        if (c is ' ' or '\t' or '\n' or '\x0B' or '\f' or '\r')
        {
            _i++;
            return true;
        }

        if (c != '#')
        {
            return false;
        }

        while (_i < _src.Length && _src[_i] is not ('\n' or '\r' or '\x85' or '\u2028' or '\u2029'))
        {
            _i++;
        }

        return true;
    }

    private void Atom(string text)
    {
        _atomStart = _out.Length;
        _out.Append(text);
    }

    private void Escape()
    {
        if (_i + 1 >= _src.Length)
        {
            throw Fail("trailing backslash");
        }

        var n = _src[_i + 1];
        _i += 2;
        switch (n)
        {
            case 'd': Atom("[" + Digit + "]"); break;
            case 'D': Atom("[^" + Digit + "]"); break;
            case 'w': Atom("[" + Word + "]"); break;
            case 'W': Atom("[^" + Word + "]"); break;
            case 's': Atom("[" + Space + "]"); break;
            case 'S': Atom("[^" + Space + "]"); break;
            case 'h': Atom("[" + HorizontalSpace + "]"); break;
            case 'H': Atom("[^" + HorizontalSpace + "]"); break;
            case 'v': Atom("[" + VerticalSpace + "]"); break;
            case 'V': Atom("[^" + VerticalSpace + "]"); break;
            case 'R': Atom(@"(?:\r\n|[" + VerticalSpace + "])"); break;
            case 'Z': _out.Append(@"(?=(?:\r\n|[" + LineTerminators + @"])?\z)"); _atomStart = -1; break;
            case 'b' or 'B' or 'A' or 'G' or 'z': _out.Append('\\').Append(n); _atomStart = -1; break;
            case 'Q': Quoted(inClass: false); break;
            case 'p' or 'P': Property(n == 'P', inClass: false); break;
            case 'k': NamedReference(); break;
            case >= '1' and <= '9': NumberedReference(n - '0'); break;
            case '0': Atom(Unicode(Octal())); break;
            case 'x' when _i < _src.Length && _src[_i] == '{': Atom(Unicode(BracedHex())); break;
            case 'x': Atom(@"\x" + Take(2)); break;
            case 'u': Atom(@"\u" + Take(4)); break;
            case 'c': Atom(@"\c" + Take(1)); break;
            case 't' or 'n' or 'r' or 'f' or 'a' or 'e': Atom("\\" + n); break;
            case 'X' or 'N' or 'E' or 'g' or 'K': throw Fail($"\\{n} is not supported");
            case var l when char.IsAsciiLetterOrDigit(l): throw Fail($"\\{n} is not a Java escape");
            default: Atom(Literal(n)); break;
        }
    }

    private void CharClass()
    {
        var start = _out.Length;
        _out.Append('[');
        _i++;
        if (_i < _src.Length && _src[_i] == '^')
        {
            _out.Append('^');
            _i++;
        }

        var first = true;
        while (true)
        {
            if (_i >= _src.Length)
            {
                throw Fail("unclosed character class '['");
            }

            var c = _src[_i];
            if ((_flags & Flags.Comments) != 0 && (c is ' ' or '\t' or '\n' or '\x0B' or '\f' or '\r'))
            {
                _i++;
                continue;
            }

            if (c == ']' && !first)
            {
                _out.Append(']');
                _i++;
                break;
            }

            first = false;
            if (c == '[')
            {
                throw Fail("nested character classes ([a[b]]) are Java-only; write one class");
            }

            if (c == '&' && _i + 1 < _src.Length && _src[_i + 1] == '&')
            {
                throw Fail("class intersections (&&) are Java-only");
            }

            if (c != '\\')
            {
                _out.Append(c is ']' or '-' && _out[^1] == '[' ? "\\" + c : c.ToString());
                _i++;
                continue;
            }

            ClassEscape();
        }

        _atomStart = start;
    }

    private void ClassEscape()
    {
        if (_i + 1 >= _src.Length)
        {
            throw Fail("trailing backslash");
        }

        var n = _src[_i + 1];
        _i += 2;
        switch (n)
        {
            case 'd': _out.Append(Digit); break;
            case 'w': _out.Append(Word); break;
            case 's': _out.Append(Space); break;
            case 'h': _out.Append(HorizontalSpace); break;
            case 'v': _out.Append(VerticalSpace); break;
            case 'D' or 'W' or 'S' or 'H' or 'V':
                throw Fail($"\\{n} inside [...] cannot be kept ASCII-only in .NET; move it out of the class");
            case 'Q': Quoted(inClass: true); break;
            case 'p' or 'P': Property(n == 'P', inClass: true); break;
            case '0': _out.Append(Unicode(Octal())); break;
            case 'x' when _i < _src.Length && _src[_i] == '{':
                var code = BracedHex();
                _out.Append(code <= 0xFFFF ? Unicode(code) : throw Fail("characters above U+FFFF cannot appear in a class"));
                break;
            case 'x': _out.Append(@"\x").Append(Take(2)); break;
            case 'u': _out.Append(@"\u").Append(Take(4)); break;
            case 'c': _out.Append(@"\c").Append(Take(1)); break;
            case 't' or 'n' or 'r' or 'f' or 'a' or 'e': _out.Append('\\').Append(n); break;
            case var l when char.IsAsciiLetterOrDigit(l): throw Fail($"\\{n} is not supported inside [...]");
            default: _out.Append(Literal(n)); break;
        }
    }

    private void OpenGroup()
    {
        var start = _out.Length;
        _i++;
        if (_i >= _src.Length || _src[_i] != '?')
        {
            _groups++;
            _out.Append('(');
            _frames.Push((start, _flags));
            return;
        }

        _i++;
        var k = _i < _src.Length ? _src[_i] : '\0';
        if (k is ':' or '=' or '!' or '>')
        {
            _out.Append("(?").Append(k);
            _i++;
            _frames.Push((start, _flags));
            return;
        }

        if (k == '<')
        {
            var after = _i + 1 < _src.Length ? _src[_i + 1] : '\0';
            if (after is '=' or '!')
            {
                _out.Append("(?<").Append(after);
                _i += 2;
                _frames.Push((start, _flags));
                return;
            }

            _i++;
            var name = ReadName();
            _groups++;
            if (!_named.TryAdd(name, _groups))
            {
                throw Fail($"group name '{name}' is used twice");
            }

            _out.Append('(');
            _frames.Push((start, _flags));
            return;
        }

        InlineFlags(start);
    }

    private void InlineFlags(int start)
    {
        var saved = _flags;
        var on = true;
        while (_i < _src.Length && _src[_i] is not (')' or ':'))
        {
            var f = _src[_i++] switch
            {
                'i' => Flags.IgnoreCase,
                'm' => Flags.Multiline,
                's' => Flags.DotAll,
                'x' => Flags.Comments,
                'u' => Flags.None,
                '-' when on => (Flags?)null,
                'd' => throw Fail("the UNIX_LINES flag (?d) is not supported"),
                'U' => throw Fail("the UNICODE_CHARACTER_CLASS flag (?U) is not supported"),
                var other => throw Fail($"unknown inline flag '{other}'"),
            };
            if (f is null)
            {
                on = false;
            }
            else
            {
                _flags = on ? _flags | f.Value : _flags & ~f.Value;
            }
        }

        if (_i >= _src.Length)
        {
            throw Fail("unclosed inline flags '(?'");
        }

        // Only case-insensitivity is left to .NET: dots, anchors and comments are already rewritten.
        var ignoreCase = (_flags & Flags.IgnoreCase) != (saved & Flags.IgnoreCase)
            ? ((_flags & Flags.IgnoreCase) != 0 ? "i" : "-i")
            : string.Empty;
        if (_src[_i++] == ':')
        {
            _out.Append("(?").Append(ignoreCase).Append(':');
            _frames.Push((start, saved));
        }
        else if (ignoreCase.Length > 0)
        {
            _out.Append("(?").Append(ignoreCase).Append(')');
        }
    }

    private void CloseGroup()
    {
        if (_frames.Count == 0)
        {
            throw Fail("unmatched ')'");
        }

        var (start, saved) = _frames.Pop();
        _out.Append(')');
        _flags = saved;
        _atomStart = start;
        _i++;
    }

    private void Quantifier()
    {
        var c = _src[_i];
        if (c == '{')
        {
            var end = _src.IndexOf('}', _i);
            _out.Append(_src, _i, end - _i + 1);
            _i = end + 1;
        }
        else
        {
            _out.Append(c);
            _i++;
        }

        if (_i < _src.Length && _src[_i] == '?')
        {
            _out.Append('?');
            _i++;
        }
        else if (_i < _src.Length && _src[_i] == '+')
        {
            // Possessive: an atomic group around the quantified atom means the same in .NET.
            if (_atomStart < 0)
            {
                throw Fail("a possessive quantifier needs something to repeat");
            }

            _out.Insert(_atomStart, "(?>").Append(')');
            _i++;
        }
    }

    private bool IsBoundsQuantifier()
    {
        var j = _i + 1;
        var digits = 0;
        while (j < _src.Length && char.IsAsciiDigit(_src[j]))
        {
            j++;
            digits++;
        }

        if (digits == 0)
        {
            return false;
        }

        if (j < _src.Length && _src[j] == ',')
        {
            j++;
            while (j < _src.Length && char.IsAsciiDigit(_src[j]))
            {
                j++;
            }
        }

        return j < _src.Length && _src[j] == '}';
    }

    private void Quoted(bool inClass)
    {
        var end = _src.IndexOf(@"\E", _i, StringComparison.Ordinal);
        var text = end < 0 ? _src[_i..] : _src[_i..end];
        _i = end < 0 ? _src.Length : end + 2;
        foreach (var ch in text)
        {
            if (inClass)
            {
                _out.Append(Unicode(ch));
            }
            else
            {
                Atom(Unicode(ch));
            }
        }
    }

    private void Property(bool negated, bool inClass)
    {
        string name;
        if (_i < _src.Length && _src[_i] == '{')
        {
            var end = _src.IndexOf('}', _i);
            name = end < 0 ? throw Fail("unclosed \\p{") : _src[(_i + 1)..end];
            _i = end + 1;
        }
        else
        {
            name = _i < _src.Length ? _src[_i++].ToString() : throw Fail("\\p needs a property name");
        }

        var posix = Posix(name);
        if (posix is not null)
        {
            if (inClass)
            {
                _out.Append(negated ? throw Fail($"\\P{{{name}}} inside [...] is not supported") : posix);
            }
            else
            {
                Atom((negated ? "[^" : "[") + posix + "]");
            }

            return;
        }

        var dotnet = name.StartsWith("In", StringComparison.Ordinal) ? "Is" + name[2..]
            : name.StartsWith("Is", StringComparison.Ordinal) && name.Length <= 4 ? name[2..]
            : name;
        var text = (negated ? @"\P{" : @"\p{") + dotnet + "}";
        if (inClass)
        {
            _out.Append(text);
        }
        else
        {
            Atom(text);
        }
    }

    private static string? Posix(string name) => name switch
    {
        "Lower" => "a-z",
        "Upper" => "A-Z",
        "ASCII" => @"\x00-\x7F",
        "Alpha" => "a-zA-Z",
        "Digit" => "0-9",
        "Alnum" => "a-zA-Z0-9",
        "Punct" => @"!-/:-@\[-`{-~",
        "Graph" => "!-~",
        "Print" => @"\x20-~",
        "Blank" => @"\x20\t",
        "Cntrl" => @"\x00-\x1F\x7F",
        "XDigit" => "0-9a-fA-F",
        "Space" => Space,
        _ when name.StartsWith("java", StringComparison.Ordinal) => throw new ArgumentException($"\\p{{{name}}} (a java.lang.Character class) is not supported"),
        _ => null,
    };

    private void NamedReference()
    {
        if (_i >= _src.Length || _src[_i] != '<')
        {
            throw Fail("\\k must be followed by <name>");
        }

        _i++;
        var name = ReadName();
        Atom(_named.TryGetValue(name, out var number)
            ? $"(?:\\{number.ToString(CultureInfo.InvariantCulture)})"
            : throw Fail($"no group named '{name}' before \\k<{name}>"));
    }

    private void NumberedReference(int number)
    {
        // Java keeps reading digits only while the number names a group already opened.
        while (_i < _src.Length && char.IsAsciiDigit(_src[_i]) && (number * 10) + (_src[_i] - '0') <= _groups)
        {
            number = (number * 10) + (_src[_i++] - '0');
        }

        Atom($"(?:\\{number.ToString(CultureInfo.InvariantCulture)})");
    }

    private string ReadName()
    {
        var end = _src.IndexOf('>', _i);
        if (end <= _i)
        {
            throw Fail("unclosed group name '<'");
        }

        var name = _src[_i..end];
        if (!char.IsAsciiLetter(name[0]) || !name.All(char.IsAsciiLetterOrDigit))
        {
            throw Fail($"'{name}' is not a valid group name (a letter, then letters and digits)");
        }

        _i = end + 1;
        return name;
    }

    private int Octal()
    {
        var value = 0;
        var digits = 0;
        var limit = _i < _src.Length && _src[_i] is >= '0' and <= '3' ? 3 : 2;
        while (digits < limit && _i < _src.Length && _src[_i] is >= '0' and <= '7')
        {
            value = (value * 8) + (_src[_i++] - '0');
            digits++;
        }

        return digits == 0 ? throw Fail("\\0 must be followed by an octal digit") : value;
    }

    private int BracedHex()
    {
        var end = _src.IndexOf('}', _i);
        if (end < 0 || !int.TryParse(_src.AsSpan(_i + 1, end - _i - 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) || code > 0x10FFFF)
        {
            throw Fail("\\x{...} must hold a hexadecimal code point up to 10FFFF");
        }

        _i = end + 1;
        return code;
    }

    private string Take(int count)
    {
        if (_i + count > _src.Length)
        {
            throw Fail("incomplete escape");
        }

        var text = _src.Substring(_i, count);
        _i += count;
        return text;
    }

    private static string Unicode(int code) => code <= 0xFFFF
        ? @"\u" + code.ToString("X4", CultureInfo.InvariantCulture)
        : "(?:" + string.Concat(char.ConvertFromUtf32(code).Select(ch => Unicode(ch))) + ")";

    private static string Literal(char c) => char.IsAsciiLetterOrDigit(c) || c == '_' ? c.ToString() : Unicode(c);

    private ArgumentException Fail(string problem) =>
        new($"{problem} (at offset {_i.ToString(CultureInfo.InvariantCulture)})");
}
