namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// An absolute file glob split into path parts. The leading parts without wildcards form <see cref="Root"/>, the
/// directory walking starts from; the rest are matched part by part, with <c>**</c> standing for zero or more
/// directories.
/// </summary>
internal sealed class GlobPattern
{
    private GlobPattern(string text, string root, GlobSegment[] segments)
    {
        Text = text;
        Root = root;
        Segments = segments;
    }

    /// <summary>The pattern as written.</summary>
    public string Text { get; }

    /// <summary>The deepest directory every match lies under (the pattern's literal prefix).</summary>
    public string Root { get; }

    /// <summary>The parts below <see cref="Root"/>; the last one matches file names.</summary>
    public IReadOnlyList<GlobSegment> Segments { get; }

    public static GlobPattern Parse(string pattern)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(pattern);
        if (pattern[0] != '/')
        {
            throw new ArgumentException($"File pattern '{pattern}' is not an absolute path.", nameof(pattern));
        }

        var parts = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length == 0)
        {
            throw new ArgumentException($"File pattern '{pattern}' names no files.", nameof(pattern));
        }

        var segments = parts.Select(GlobSegment.Parse).ToArray();
        var literal = 0;
        while (literal < segments.Length - 1 && segments[literal].IsLiteral)
        {
            literal++;
        }

        var root = "/" + string.Join('/', segments.Take(literal).Select(s => s.LiteralName));
        return new GlobPattern(pattern, root, segments[literal..]);
    }

    /// <summary>The states to start walking <see cref="Root"/> with.</summary>
    public MatchState Start() => Closure([0]);

    /// <summary>The states after descending into (or reaching) an entry called <paramref name="name"/>.</summary>
    public MatchState Step(MatchState state, ReadOnlySpan<char> name)
    {
        var next = new List<int>(2);
        foreach (var i in state.Positions)
        {
            if (i >= Segments.Count)
            {
                continue;
            }

            var segment = Segments[i];
            if (segment.IsAnyDirectories)
            {
                next.Add(i); // '**' takes this directory and may take more
            }
            else if (segment.Matches(name))
            {
                next.Add(i + 1);
            }
        }

        return Closure(next);
    }

    /// <summary>Whether a file at the current position matches the whole pattern.</summary>
    public bool IsComplete(MatchState state) => state.Positions.Contains(Segments.Count);

    /// <summary>Whether a directory at the current position may hold matches further down.</summary>
    public bool CanDescend(MatchState state) => state.Positions.Any(i => i < Segments.Count);

    /// <summary>Whether a <c>**</c> is open at this position; such directories are not entered through symlinks (loops).</summary>
    public bool InAnyDirectories(MatchState state) => state.Positions.Any(i => i < Segments.Count && Segments[i].IsAnyDirectories);

    /// <summary>Whether the absolute <paramref name="path"/> matches the pattern.</summary>
    public bool IsMatch(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var rootParts = Root.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        if (path.Length == 0 || path[0] != '/' || parts.Length <= rootParts.Length || !parts.AsSpan(0, rootParts.Length).SequenceEqual(rootParts))
        {
            return false;
        }

        var state = Start();
        foreach (var part in parts.AsSpan(rootParts.Length))
        {
            state = Step(state, part);
            if (state.Positions.Length == 0)
            {
                return false;
            }
        }

        return IsComplete(state);
    }

    /// <inheritdoc/>
    public override string ToString() => Text;

    private MatchState Closure(List<int> positions)
    {
        // A '**' may also match no directory at all: whoever stands before it also stands after it.
        for (var k = 0; k < positions.Count; k++)
        {
            var i = positions[k];
            if (i < Segments.Count && Segments[i].IsAnyDirectories && !positions.Contains(i + 1))
            {
                positions.Add(i + 1);
            }
        }

        positions.Sort();
        return new MatchState(positions.Distinct().ToArray());
    }

    /// <summary>The set of pattern parts a walk can be at after some path parts (an NFA state).</summary>
    internal readonly record struct MatchState(int[] Positions);
}
