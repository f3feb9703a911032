namespace Kinesis.Clients.Consumer;

/// <summary>Where a shard without a checkpoint starts.</summary>
public sealed record InitialPosition
{
    private InitialPosition(InitialPositionKind kind, DateTimeOffset? timestamp)
    {
        Kind = kind;
        Timestamp = timestamp;
    }

    /// <summary>The oldest record still retained.</summary>
    public static InitialPosition TrimHorizon { get; } = new(InitialPositionKind.TrimHorizon, null);

    /// <summary>Only records put from now on.</summary>
    public static InitialPosition Latest { get; } = new(InitialPositionKind.Latest, null);

    /// <summary>Which start.</summary>
    public InitialPositionKind Kind { get; }

    /// <summary>The time for <see cref="InitialPositionKind.AtTimestamp"/>.</summary>
    public DateTimeOffset? Timestamp { get; }

    /// <summary>The first record that arrived at or after <paramref name="timestamp"/>.</summary>
    public static InitialPosition AtTimestamp(DateTimeOffset timestamp) => new(InitialPositionKind.AtTimestamp, timestamp);
}

/// <summary>The kinds of <see cref="InitialPosition"/>.</summary>
public enum InitialPositionKind
{
    /// <summary>The oldest record still retained.</summary>
    TrimHorizon,

    /// <summary>Only records put from now on.</summary>
    Latest,

    /// <summary>The first record at or after a time.</summary>
    AtTimestamp,
}
