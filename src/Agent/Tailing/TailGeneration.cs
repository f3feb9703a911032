namespace Kinesis.Clients.Agent.Tailing;

/// <summary>
/// One generation of one tailed file: the records read from one starting offset of one content. A truncation
/// starts a new generation; acknowledgements of the old one still land on it.
/// </summary>
internal sealed class TailGeneration : ITailedFile
{
    private static int s_lastId;

    private readonly long _predecessorLimit;
    private TailGeneration? _predecessor;
    private ContentHead _head;
    private long _settled;

    /// <param name="flowId">The flow.</param>
    /// <param name="path">The path the file was opened by.</param>
    /// <param name="startOffset">Where reading starts; the acknowledged offset before any record.</param>
    /// <param name="head">The file's first bytes when the generation began.</param>
    /// <param name="maxPending">Cap on records in flight.</param>
    /// <param name="predecessor">
    /// A generation of the same bytes whose records before <paramref name="startOffset"/> may still be in flight
    /// (this file is its copy, or it was closed and found again): until they are acknowledged, this generation's
    /// checkpoint must not pass them.
    /// </param>
    public TailGeneration(string flowId, string path, long startOffset, ContentHead head, int maxPending, TailGeneration? predecessor)
    {
        Id = Interlocked.Increment(ref s_lastId);
        FlowId = flowId;
        Path = path;
        StartOffset = startOffset;
        _head = head;
        _settled = startOffset;
        Tracker = new AckTracker(startOffset, maxPending);
        _predecessor = predecessor;
        _predecessorLimit = startOffset;
    }

    /// <inheritdoc/>
    public int Id { get; }

    /// <inheritdoc/>
    public string FlowId { get; }

    /// <inheritdoc/>
    public string Path { get; }

    public long StartOffset { get; }

    public AckTracker Tracker { get; }

    /// <summary>The file's first bytes, extended while the file is shorter than a full head.</summary>
    public ContentHead Head
    {
        get => Volatile.Read(ref _head);
        set => Volatile.Write(ref _head, value);
    }

    /// <summary>
    /// Every byte before this offset is in a record that has a ticket, or was skipped. Written by the read loop
    /// only after the tickets are issued, which <see cref="DurableOffset"/> relies on.
    /// </summary>
    public long SettledOffset
    {
        get => Volatile.Read(ref _settled);
        set => Volatile.Write(ref _settled, value);
    }

    /// <inheritdoc/>
    public void Acknowledge(long ticket, int count = 1) => Tracker.Acknowledge(ticket, count);

    /// <summary>The offset a checkpoint may hold now: no unacknowledged record (here or in a predecessor) lies before it.</summary>
    public long DurableOffset()
    {
        // Settled first: every record ending before it was issued before it was written, so the snapshot below
        // sees them; with none outstanding, skipped bytes (header lines) count as done too.
        var settled = SettledOffset;
        var (acknowledged, outstanding) = Tracker.Snapshot();
        var own = outstanding == 0 ? Math.Max(acknowledged, settled) : acknowledged;

        var predecessor = Volatile.Read(ref _predecessor);
        if (predecessor is not null)
        {
            var inherited = predecessor.DurableOffset();
            if (inherited < _predecessorLimit)
            {
                return Math.Min(own, inherited);
            }

            Volatile.Write(ref _predecessor, null); // it caught up; let it go
        }

        return own;
    }

    /// <inheritdoc/>
    public override string ToString() => $"{Path}#{Id}";
}
