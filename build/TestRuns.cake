// What build.cake reads from a test project's results (TRX) and how it prints a failure: loaded by build.cake.

#nullable enable

using System.Xml.Linq;

// A failure's message and stack cut to its first and last lines, where what went wrong and where usually are.
static IEnumerable<string> Shortened(string message)
{
  const int Head = 6, Tail = 14;
  var lines = Lines(message);
  return lines.Length <= Head + Tail + 1
    ? lines
    : lines.Take(Head).Append($"... ({lines.Length - Head - Tail} lines left out)").Concat(lines.TakeLast(Tail));
}

static string[] Lines(string text) =>
  text.Replace("\r", "").Split('\n', StringSplitOptions.RemoveEmptyEntries);

/// <summary>One test project's outcome, read from its TRX file.</summary>
sealed record TestRun(string Name, int ExitCode, int Passed, int Failed, int Skipped, string? Problem)
{
  /// <summary>The failed tests' names with their messages, as the results file gives them.</summary>
  public IReadOnlyList<(string Test, string Message, string Stack)> Failures { get; init; } = [];

  public static TestRun Read(string name, int exitCode, string trxPath)
  {
    if (!System.IO.File.Exists(trxPath))
    {
      return new TestRun(name, exitCode, 0, 0, 0, $"no results ({trxPath} missing): the test run crashed");
    }

    XNamespace ns = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    var trx = XDocument.Load(trxPath);
    var summary = trx.Root?.Element(ns + "ResultSummary");
    var counters = summary?.Element(ns + "Counters");
    if (counters is null)
    {
      return new TestRun(name, exitCode, 0, 0, 0, "results file has no counters: the test run crashed");
    }

    int Count(string attribute) => int.TryParse((string?)counters.Attribute(attribute), out var n) ? n : 0;
    var failed = Count("failed") + Count("error") + Count("timeout") + Count("aborted");
    var outcome = (string?)summary!.Attribute("outcome") ?? "";
    string? problem = null;
    if (exitCode != 0 && failed == 0)
    {
      problem = $"test run ended with exit code {exitCode} ({outcome})";
    }
    else if (outcome is "Aborted" or "Error" or "Timeout")
    {
      problem = $"test run {outcome.ToLowerInvariant()}";
    }

    // The counters' notExecuted stays 0 for skipped tests (they count only in total - executed), so
    // skipped tests are counted from the results themselves.
    var skipped = trx.Descendants(ns + "UnitTestResult")
      .Count(r => (string?)r.Attribute("outcome") == "NotExecuted");
    var failures = trx.Descendants(ns + "UnitTestResult")
      .Where(r => (string?)r.Attribute("outcome") is "Failed" or "Error" or "Timeout" or "Aborted")
      .Select(r => ((string?)r.Attribute("testName") ?? "?",
        (string?)r.Descendants(ns + "Message").FirstOrDefault() ?? "",
        (string?)r.Descendants(ns + "StackTrace").FirstOrDefault() ?? ""))
      .ToList();
    return new TestRun(name, exitCode, Count("passed"), failed, Math.Max(skipped, Count("notExecuted")), problem)
    {
      Failures = failures,
    };
  }
}
