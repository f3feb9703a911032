namespace Kinesis.Clients.Testing;

/// <summary>A rule in force in a <see cref="DynamoDbFaultProxy"/>: how often it matched and hit; remove it to stop it.</summary>
public sealed class DynamoDbInjection
{
    private readonly DynamoDbFaults _owner;
    private long _matched;
    private long _hits;

    internal DynamoDbInjection(DynamoDbFaults owner, DynamoDbFaultRule rule, long addedAt)
    {
        _owner = owner;
        Rule = rule;
        AddedAt = addedAt;
    }

    /// <summary>The rule.</summary>
    public DynamoDbFaultRule Rule { get; }

    /// <summary>Requests of its operation seen while it was in force (those skipped, missed by chance and hit).</summary>
    public long Matched => Interlocked.Read(ref _matched);

    /// <summary>Requests it did its fault to.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Whether it hits nothing more: its count is used up, its window has passed, or it was removed.</summary>
    public bool IsSpent => _owner.IsSpent(this);

    internal long AddedAt { get; }

    /// <summary>Takes it out of force; requests already hit keep their fault.</summary>
    public void Remove() => _owner.Remove(this);

    /// <summary>Counts a matching request; whether it is one the rule lets through first.</summary>
    internal bool Match() => Interlocked.Increment(ref _matched) <= Rule.SkipFirst;

    internal bool TryHit()
    {
        if (Rule.Count is not { } count)
        {
            Interlocked.Increment(ref _hits);
            return true;
        }

        long hits;
        do
        {
            hits = Interlocked.Read(ref _hits);
            if (hits >= count)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _hits, hits + 1, hits) != hits);
        return true;
    }

    internal bool CountUsedUp => Rule.Count is { } count && Hits >= count;
}
