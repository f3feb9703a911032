namespace Kinesis.Clients.Consumer;

/// <summary>
/// The streams of a multi-stream application (the KCL's <c>MultiStreamTracker</c>): one lease table for all, lease
/// keys <c>account:stream:creationEpoch:shardId</c>. The list may change while workers run
/// (<see cref="SetStreams"/>); each worker reads it every <see cref="StreamSyncInterval"/>.
/// </summary>
/// <remarks>Thread-safe: <see cref="SetStreams"/> and <see cref="SetStreamsForLeaseDeletion"/> may be called from any thread.</remarks>
public sealed class MultiStreamTracker
{
    private IReadOnlyList<StreamConfig> _streams;
    private IReadOnlyList<string> _toDelete = [];

    /// <summary>Tracks <paramref name="streams"/>.</summary>
    /// <exception cref="ArgumentException">The list is empty, or a stream is malformed or listed twice.</exception>
    public MultiStreamTracker(IEnumerable<StreamConfig> streams) => _streams = Checked(streams, nameof(Streams));

    /// <summary>The streams to consume now.</summary>
    public IReadOnlyList<StreamConfig> Streams => Volatile.Read(ref _streams);

    /// <summary>
    /// What becomes of the leases of streams no longer tracked; cannot change while workers run, as in the KCL.
    /// <value>Default: <see cref="FormerStreamsLeasesDeletion.None"/>, the KCL's <c>NoLeaseDeletionStrategy</c>: nothing is deleted.</value>
    /// </summary>
    public FormerStreamsLeasesDeletion FormerStreamsLeasesDeletion { get; init; } = FormerStreamsLeasesDeletion.None;

    /// <summary>
    /// How long a stream stays untracked before its leases are deleted (the KCL's
    /// <c>waitPeriodToDeleteFormerStreams</c>); required with the deferred strategies, which the KCL leaves to the
    /// application too. Give workers with an older list of streams time to learn a new one.
    /// <value>Default: <see langword="null"/>.</value>
    /// </summary>
    public TimeSpan? WaitPeriodToDeleteFormerStreams { get; init; }

    /// <summary>
    /// Where the shards of a stream found in the lease table but not tracked start when they have no checkpoint (the
    /// KCL's <c>orphanedStreamInitialPositionInStream</c>). <value>Default: <see cref="InitialPosition.Latest"/>, as in the KCL.</value>
    /// </summary>
    public InitialPosition OrphanedStreamInitialPosition { get; init; } = InitialPosition.Latest;

    /// <summary>
    /// How often a worker reads <see cref="Streams"/> for streams added or removed.
    /// <value>Default: 60 s, the KCL's <c>NEW_STREAM_CHECK_INTERVAL_MILLIS</c>.</value>
    /// </summary>
    public TimeSpan StreamSyncInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>The streams whose leases <see cref="FormerStreamsLeasesDeletion.ProvidedStreamsDeferred"/> may delete.</summary>
    public IReadOnlyList<string> StreamsForLeaseDeletion => Volatile.Read(ref _toDelete);

    /// <summary>Replaces the streams to consume; workers see the change at their next stream sync.</summary>
    /// <exception cref="ArgumentException">The list is empty, or a stream is malformed or listed twice; nothing changes then.</exception>
    public void SetStreams(IEnumerable<StreamConfig> streams) => Volatile.Write(ref _streams, Checked(streams, nameof(streams)));

    /// <summary>
    /// Names the streams (by name, ARN or <c>account:stream:creationEpoch</c>) whose leases may be deleted, with
    /// <see cref="FormerStreamsLeasesDeletion.ProvidedStreamsDeferred"/>, once untracked for the wait period (the
    /// KCL's <c>streamIdentifiersForLeaseCleanup</c>).
    /// </summary>
    /// <exception cref="ArgumentException">A stream is malformed.</exception>
    public void SetStreamsForLeaseDeletion(IEnumerable<string> streams)
    {
        ArgumentNullException.ThrowIfNull(streams);
        var list = streams.ToList();
        foreach (var stream in list)
        {
            StreamReference.Parse(stream, nameof(streams));
        }

        Volatile.Write(ref _toDelete, list);
    }

    internal IReadOnlyList<StreamReference> StreamsForLeaseDeletionReferences =>
        StreamsForLeaseDeletion.Select(s => StreamReference.Parse(s, nameof(StreamsForLeaseDeletion))).ToList();

    internal void Validate(string option)
    {
        Checked(Streams, option + "." + nameof(Streams));
        if (!Enum.IsDefined(FormerStreamsLeasesDeletion))
        {
            throw new ArgumentException(
                $"{option}.{nameof(FormerStreamsLeasesDeletion)} must be None, AutoDetectionDeferred or ProvidedStreamsDeferred; got {(int)FormerStreamsLeasesDeletion}.",
                option + "." + nameof(FormerStreamsLeasesDeletion));
        }

        var wait = option + "." + nameof(WaitPeriodToDeleteFormerStreams);
        if (FormerStreamsLeasesDeletion != FormerStreamsLeasesDeletion.None && WaitPeriodToDeleteFormerStreams is null)
        {
            throw new ArgumentException($"{wait} is required with {FormerStreamsLeasesDeletion}: how long a stream stays untracked before its leases are deleted.", wait);
        }

        if (WaitPeriodToDeleteFormerStreams is { } period && (period < TimeSpan.Zero || period == Timeout.InfiniteTimeSpan))
        {
            throw new ArgumentException($"{wait} must be zero or a positive, finite time; got {period}.", wait);
        }

        ArgumentNullException.ThrowIfNull(OrphanedStreamInitialPosition, option + "." + nameof(OrphanedStreamInitialPosition));
        if (StreamSyncInterval <= TimeSpan.Zero || StreamSyncInterval == Timeout.InfiniteTimeSpan)
        {
            throw new ArgumentException(
                $"{option}.{nameof(StreamSyncInterval)} must be a positive, finite time; got {StreamSyncInterval}.", option + "." + nameof(StreamSyncInterval));
        }
    }

    internal static IReadOnlyList<StreamReference> References(IReadOnlyList<StreamConfig> streams) =>
        streams.Select(s => StreamReference.Parse(s.Stream, nameof(Streams))).ToList();

    private static List<StreamConfig> Checked(IEnumerable<StreamConfig> streams, string option)
    {
        ArgumentNullException.ThrowIfNull(streams, option);
        var list = streams.ToList();
        if (list.Count == 0)
        {
            throw new ArgumentException($"{option} is empty: a multi-stream application tracks at least one stream.", option);
        }

        var seen = new List<StreamReference>();
        foreach (var config in list)
        {
            if (config is null)
            {
                throw new ArgumentException($"{option} holds a null stream.", option);
            }

            var reference = StreamReference.Parse(config.Stream, option);
            if (seen.FirstOrDefault(reference.SameStreamAs) is { } earlier)
            {
                throw new ArgumentException($"{option} lists stream '{reference.StreamName}' twice ('{earlier.Text}' and '{config.Stream}').", option);
            }

            seen.Add(reference);
        }

        return list;
    }
}
