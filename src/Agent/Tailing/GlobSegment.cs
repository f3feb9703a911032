namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// One path part of a glob: a literal, a wildcard (<c>*</c>, <c>?</c>, <c>[...]</c>) or <c>**</c> (any number of
/// directories). Matching is ordinal and case-sensitive, as Linux file names are.
/// </summary>
internal sealed class GlobSegment
{
    private readonly Token[] _tokens;

    private GlobSegment(string text, Token[] tokens, bool isAnyDirectories)
    {
        Text = text;
        _tokens = tokens;
        IsAnyDirectories = isAnyDirectories;
        IsLiteral = !isAnyDirectories && tokens.All(t => t.Kind == TokenKind.Char);
    }

    /// <summary>The part as written in the pattern.</summary>
    public string Text { get; }

    /// <summary>Whether this part is <c>**</c>.</summary>
    public bool IsAnyDirectories { get; }

    /// <summary>Whether this part has no wildcard, so it names exactly one entry.</summary>
    public bool IsLiteral { get; }

    /// <summary>The literal name (escapes removed) when <see cref="IsLiteral"/>.</summary>
    public string LiteralName => new(_tokens.Select(t => t.Char).ToArray());

    public static GlobSegment Parse(string part)
    {
        if (part == "**")
        {
            return new GlobSegment(part, [], isAnyDirectories: true);
        }

        var tokens = new List<Token>();
        for (var i = 0; i < part.Length; i++)
        {
            var c = part[i];
            switch (c)
            {
                case '\\' when i + 1 < part.Length:
                    tokens.Add(Token.Literal(part[++i]));
                    break;
                case '*':
                    // "a**b" inside a part is just '*': '**' crosses directories only as a whole part.
                    if (tokens.Count == 0 || tokens[^1].Kind != TokenKind.Star)
                    {
                        tokens.Add(new Token(TokenKind.Star, '\0', null, false));
                    }

                    break;
                case '?':
                    tokens.Add(new Token(TokenKind.AnyChar, '\0', null, false));
                    break;
                case '[':
                    var close = FindClassEnd(part, i);
                    if (close < 0)
                    {
                        tokens.Add(Token.Literal(c)); // an unclosed '[' is an ordinary character
                        break;
                    }

                    tokens.Add(ParseClass(part.AsSpan(i + 1, close - i - 1)));
                    i = close;
                    break;
                default:
                    tokens.Add(Token.Literal(c));
                    break;
            }
        }

        return new GlobSegment(part, tokens.ToArray(), isAnyDirectories: false);
    }

    /// <summary>Whether the file or directory name <paramref name="name"/> matches this part.</summary>
    public bool Matches(ReadOnlySpan<char> name)
    {
        if (IsAnyDirectories)
        {
            return true;
        }

        // Greedy with one backtrack point per star: linear for patterns without stars, never exponential.
        int t = 0, n = 0, starToken = -1, starName = 0;
        while (n < name.Length)
        {
            if (t < _tokens.Length && _tokens[t].Kind == TokenKind.Star)
            {
                starToken = t++;
                starName = n;
            }
            else if (t < _tokens.Length && _tokens[t].Matches(name[n]))
            {
                t++;
                n++;
            }
            else if (starToken >= 0)
            {
                t = starToken + 1;
                n = ++starName;
            }
            else
            {
                return false;
            }
        }

        while (t < _tokens.Length && _tokens[t].Kind == TokenKind.Star)
        {
            t++;
        }

        return t == _tokens.Length;
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private static int FindClassEnd(string part, int open)
    {
        var i = open + 1;
        if (i < part.Length && part[i] is '!' or '^')
        {
            i++;
        }

        if (i < part.Length && part[i] == ']')
        {
            i++; // a ']' right after '[' or '[!' is a member, not the end
        }

        for (; i < part.Length; i++)
        {
            if (part[i] == ']')
            {
                return i;
            }
        }

        return -1;
    }

    private static Token ParseClass(ReadOnlySpan<char> body)
    {
        var negate = body.Length > 0 && body[0] is '!' or '^';
        if (negate)
        {
            body = body[1..];
        }

        var ranges = new List<(char From, char To)>();
        for (var i = 0; i < body.Length; i++)
        {
            if (i + 2 < body.Length && body[i + 1] == '-')
            {
                ranges.Add((body[i], body[i + 2]));
                i += 2;
            }
            else
            {
                ranges.Add((body[i], body[i]));
            }
        }

        return new Token(TokenKind.Class, '\0', ranges.ToArray(), negate);
    }

    private enum TokenKind { Char, AnyChar, Star, Class }

    private readonly record struct Token(TokenKind Kind, char Char, (char From, char To)[]? Ranges, bool Negate)
    {
        public static Token Literal(char c) => new(TokenKind.Char, c, null, false);

        public bool Matches(char c)
        {
            switch (Kind)
            {
                case TokenKind.Char:
                    return c == Char;
                case TokenKind.AnyChar:
                    return true;
                case TokenKind.Class:
                    var inside = false;
                    foreach (var (from, to) in Ranges!)
                    {
                        if (c >= from && c <= to)
                        {
                            inside = true;
                            break;
                        }
                    }

                    return inside != Negate;
                default:
                    return false;
            }
        }
    }
}
