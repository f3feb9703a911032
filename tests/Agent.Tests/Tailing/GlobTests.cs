using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Kinesis.Clients.Agent.Tailing;

namespace Kinesis.Clients.Agent.Tests.Tailing;

public sealed class GlobTests
{
    [Theory]
    [InlineData("/var/log/app.log", "/var/log/app.log", true)]
    [InlineData("/var/log/app.log", "/var/log/app.log.1", false)]
    [InlineData("/var/log/app.log*", "/var/log/app.log.1", true)]
    [InlineData("/var/log/app.log*", "/var/log/app.log", true)]
    [InlineData("/var/log/*.log", "/var/log/.hidden.log", true)]
    [InlineData("/var/log/*.log", "/var/log/sub/a.log", false)]
    [InlineData("/var/log/a?c.log", "/var/log/abc.log", true)]
    [InlineData("/var/log/a?c.log", "/var/log/ac.log", false)]
    [InlineData("/var/log/[abc].log", "/var/log/b.log", true)]
    [InlineData("/var/log/[abc].log", "/var/log/d.log", false)]
    [InlineData("/var/log/[a-c]x.log", "/var/log/cx.log", true)]
    [InlineData("/var/log/[!a-c]x.log", "/var/log/cx.log", false)]
    [InlineData("/var/log/[!a-c]x.log", "/var/log/dx.log", true)]
    [InlineData("/var/log/[]]x", "/var/log/]x", true)]
    [InlineData("/var/log/[x", "/var/log/[x", true)]
    [InlineData("/var/log/\\*.log", "/var/log/*.log", true)]
    [InlineData("/var/log/\\*.log", "/var/log/a.log", false)]
    [InlineData("/var/*/app/*.log", "/var/log/app/x.log", true)]
    [InlineData("/var/*/app/*.log", "/var/log/other/app/x.log", false)]
    [InlineData("/var/l?g/ap[p]/x.log", "/var/log/app/x.log", true)]
    [InlineData("/var/log/**/*.log", "/var/log/x.log", true)]
    [InlineData("/var/log/**/*.log", "/var/log/a/b/c/x.log", true)]
    [InlineData("/var/log/**/*.log", "/var/log/a/b/c/x.txt", false)]
    [InlineData("/var/**/app/**/x.log", "/var/app/x.log", true)]
    [InlineData("/var/**/app/**/x.log", "/var/a/app/b/c/x.log", true)]
    [InlineData("/var/**/app/**/x.log", "/var/a/apps/b/x.log", false)]
    [InlineData("/var/log/**", "/var/log/a/b.log", true)]
    [InlineData("/var/log/a**b", "/var/log/axyb", true)]
    [InlineData("/var/log/a**b", "/var/log/ax/yb", false)]
    [InlineData("/var//log/x.log", "/var/log/x.log", true)]
    [InlineData("/var/log/x.log", "/var/log/X.log", false)]
    public void Matches_like_a_shell_glob_with_double_star_for_directories(string pattern, string path, bool matches)
    {
        Assert.Equal(matches, GlobPattern.Parse(pattern).IsMatch(path));
    }

    [Theory]
    [InlineData("/var/log/app.log", "/var/log")]
    [InlineData("/var/log/*.log", "/var/log")]
    [InlineData("/var/*/x/a.log", "/var")]
    [InlineData("/a.log", "/")]
    public void Walking_starts_at_the_literal_prefix(string pattern, string root)
    {
        Assert.Equal(root, GlobPattern.Parse(pattern).Root);
    }

    [Fact]
    public void Relative_patterns_are_refused()
    {
        Assert.Throws<ArgumentException>(() => GlobPattern.Parse("logs/*.log"));
    }

    [Fact]
    public void Agrees_with_a_regular_expression_translation_for_any_pattern_and_path()
    {
        var part = Gen.OneOfConst("a", "b", "ab", "*", "?", "[ab]", "[!a]", "**", "a*", "*b").Array[1, 4]
            .Select(pieces => string.Concat(pieces));
        var pattern = part.Array[1, 4].Select(parts => "/r/" + string.Join('/', parts));
        var path = Gen.Char["ab"].Array[1, 3].Select(c => new string(c)).Array[1, 5].Select(parts => "/r/" + string.Join('/', parts));
        SeededCheck.ForAll(Gen.Select(pattern, path), c =>
        {
            var expected = ToRegex(c.Item1).IsMatch(c.Item2);
            Assert.True(expected == GlobPattern.Parse(c.Item1).IsMatch(c.Item2), $"{c.Item1} vs {c.Item2}: expected {expected}");
        }, cases: 2000, stream: 7);
    }

    [Fact]
    public void Enumerates_matching_files_through_directories_and_double_stars()
    {
        using var dir = new TempDirectory();
        string[] files = ["a.log", "b.txt", "x/c.log", "x/y/d.log", "x/y/z/e.log", "w/app/f.log", "w/other/g.log"];
        foreach (var file in files)
        {
            var path = dir.File(file);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, "");
        }

        Directory.CreateSymbolicLink(dir.File("x/y/loop"), dir.File("x")); // must not send '**' round in circles

        string Relative(string p) => Path.GetRelativePath(dir.Path, p);
        List<string> Find(string pattern) => GlobWalker.Enumerate(GlobPattern.Parse(dir.Path + pattern)).Select(Relative).Order(StringComparer.Ordinal).ToList();

        Assert.Equal(["a.log", "w/app/f.log", "w/other/g.log", "x/c.log", "x/y/d.log", "x/y/z/e.log"], Find("/**/*.log"));
        Assert.Equal(["x/y/d.log"], Find("/x/?/*.log"));
        Assert.Equal(["w/app/f.log"], Find("/*/app/*.log"));
        Assert.Equal(["a.log"], Find("/a.log"));
        Assert.Empty(Find("/missing/*.log"));
    }

    // Reference semantics: '*' = [^/]*, '?' = [^/], classes as in regex, '**' as a whole part = any directories.
    private static Regex ToRegex(string pattern)
    {
        var parts = pattern.Split('/', StringSplitOptions.RemoveEmptyEntries);
        var regex = new StringBuilder("^");
        foreach (var part in parts)
        {
            if (part == "**")
            {
                regex.Append("(/[^/]+)*");
                continue;
            }

            regex.Append('/');
            for (var i = 0; i < part.Length; i++)
            {
                if (part[i] == '*')
                {
                    regex.Append("[^/]*");
                }
                else if (part[i] == '?')
                {
                    regex.Append("[^/]");
                }
                else if (part[i] == '[')
                {
                    var close = part.IndexOf(']', i + 2);
                    var body = part[(i + 1)..close];
                    regex.Append(body[0] == '!' ? "[^/" + body[1..] + "]" : "[" + body + "]");
                    i = close;
                }
                else
                {
                    regex.Append(Regex.Escape(part[i].ToString()));
                }
            }
        }

        return new Regex(regex.Append('$').ToString());
    }
}
