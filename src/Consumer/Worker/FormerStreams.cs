namespace Kinesis.Clients.Consumer.Worker;

/// <summary>
/// Which former streams' leases to delete now (the KCL Scheduler's deferred deletion): pure, on timestamps of the
/// worker's clock. A stream becomes a candidate when it is in the lease table but not tracked (auto detection), or
/// named for deletion and not tracked (provided streams); it is deleted once it has stayed a candidate for the wait
/// period; a stream tracked again stops being one.
/// </summary>
internal sealed class FormerStreams
{
    private readonly Dictionary<StreamIdentifier, long> _since = [];

    /// <summary>The streams waiting for deletion and when they became candidates.</summary>
    public IReadOnlyDictionary<StreamIdentifier, long> Pending => _since;

    /// <returns>The streams whose leases are due for deletion now.</returns>
    public List<StreamIdentifier> Decide(
        FormerStreamsLeasesDeletion strategy,
        IReadOnlySet<StreamIdentifier> tracked,
        IEnumerable<StreamIdentifier> inTable,
        IReadOnlyList<StreamReference> provided,
        long now,
        long waitTicks)
    {
        var candidates = strategy switch
        {
            FormerStreamsLeasesDeletion.AutoDetectionDeferred => inTable.Where(s => !tracked.Contains(s)),
            FormerStreamsLeasesDeletion.ProvidedStreamsDeferred => inTable.Where(s => !tracked.Contains(s) && provided.Any(p => p.Matches(s))),
            _ => [],
        };
        var current = candidates.ToHashSet();
        foreach (var gone in _since.Keys.Where(s => !current.Contains(s)).ToList())
        {
            _since.Remove(gone);
        }

        foreach (var stream in current)
        {
            _since.TryAdd(stream, now);
        }

        return _since.Where(p => now - p.Value >= waitTicks).Select(p => p.Key).OrderBy(s => s.Serialize(), StringComparer.Ordinal).ToList();
    }

    /// <summary>All of a stream's leases are gone: it is no longer pending.</summary>
    public void Deleted(StreamIdentifier stream) => _since.Remove(stream);
}
