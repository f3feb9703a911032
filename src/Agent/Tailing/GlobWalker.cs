using System.IO.Enumeration;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// Lists the files a <see cref="GlobPattern"/> matches, entering only directories that can still lead to a
/// match. Unreadable or vanishing directories are skipped: files come and go while we look.
/// </summary>
internal static class GlobWalker
{
    private static readonly EnumerationOptions s_options = new()
    {
        RecurseSubdirectories = false,
        IgnoreInaccessible = true,
        AttributesToSkip = 0,
        ReturnSpecialDirectories = false,
        MatchType = MatchType.Simple,
    };

    public static List<string> Enumerate(GlobPattern pattern)
    {
        var found = new List<string>();
        if (Directory.Exists(pattern.Root))
        {
            Walk(pattern, pattern.Root, pattern.Start(), found);
        }

        return found;
    }

    private static void Walk(GlobPattern pattern, string directory, GlobPattern.MatchState state, List<string> found)
    {
        var inAnyDirectories = pattern.InAnyDirectories(state);
        List<Entry> entries;
        try
        {
            entries = [.. new FileSystemEnumerable<Entry>(directory, Describe, s_options)];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return;
        }

        foreach (var entry in entries)
        {
            var next = pattern.Step(state, entry.Name);
            if (next.Positions.Length == 0)
            {
                continue;
            }

            var path = directory.Length == 1 ? "/" + entry.Name : directory + "/" + entry.Name;
            if (!entry.IsDirectory)
            {
                if (pattern.IsComplete(next))
                {
                    found.Add(path);
                }
            }
            else
            {
                if (entry.IsSymbolicLink && pattern.IsComplete(next))
                {
                    found.Add(path); // a link to a directory where a file is expected: discovery says why it is not tailed
                }

                if (pattern.CanDescend(next) && !(entry.IsSymbolicLink && inAnyDirectories))
                {
                    Walk(pattern, path, next, found);
                }
            }
        }
    }

    private static Entry Describe(ref FileSystemEntry entry) =>
        new(entry.FileName.ToString(), entry.IsDirectory, (entry.Attributes & FileAttributes.ReparsePoint) != 0);

    private readonly record struct Entry(string Name, bool IsDirectory, bool IsSymbolicLink);
}
