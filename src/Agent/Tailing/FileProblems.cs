using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// Paths that match a flow's pattern but cannot be tailed (no permission, a symlink loop, a directory): each is
/// logged once when its problem starts or changes and once when it is over, not at every discovery pass. Only
/// paths the last pass listed are kept, so the set is bounded by what the pattern matches.
/// </summary>
internal sealed class FileProblems
{
    private readonly ILogger _logger;
    private readonly Dictionary<string, string> _open = new(StringComparer.Ordinal);
    private bool _rootMissing;

    public FileProblems(ILogger logger) => _logger = logger;

    /// <summary>Notes that <paramref name="path"/> cannot be tailed because of <paramref name="problem"/>; logs it if new.</summary>
    public void Report(string path, string problem)
    {
        if (!_open.TryGetValue(path, out var known) || known != problem)
        {
            _open[path] = problem;
            TailingLog.CannotTail(_logger, path, problem);
        }
    }

    /// <summary>Notes that <paramref name="path"/> was opened; logs the end of its problem if it had one.</summary>
    public void Resolved(string path)
    {
        if (_open.Count > 0 && _open.Remove(path, out var problem))
        {
            TailingLog.TailableAgain(_logger, path, problem);
        }
    }

    /// <summary>Forgets paths the last pass did not list (deleted, renamed away).</summary>
    public void Retain(IReadOnlySet<string> listed)
    {
        if (_open.Count > 0)
        {
            foreach (var path in _open.Keys.Where(p => !listed.Contains(p)).ToList())
            {
                _open.Remove(path);
            }
        }
    }

    /// <summary>Logs once when the pattern's directory vanishes (or is missing at the start) and once when it is back.</summary>
    public void RootExists(string root, string pattern, bool exists)
    {
        if (exists == !_rootMissing)
        {
            return;
        }

        _rootMissing = !exists;
        if (exists)
        {
            TailingLog.DirectoryBack(_logger, root, pattern);
        }
        else
        {
            TailingLog.DirectoryMissing(_logger, root, pattern);
        }
    }
}
