namespace Kinesis.Clients.Consumer.Retrieval;

/// <summary>When a polling reader may start its next GetRecords call.</summary>
internal static class ReadPacing
{
    /// <summary>
    /// The least time from the start of one call to the start of the next: the idle time after a call that found
    /// nothing at the tip of the shard, the floor after anything else (records, a failure, or an empty page short
    /// of the tip, which GetRecords returns while it steps over a stretch of the shard without records).
    /// </summary>
    /// <param name="recordCount">Kinesis records the call returned; 0 for a failed call.</param>
    /// <param name="millisBehindLatest">The call's MillisBehindLatest, or <see langword="null"/>.</param>
    /// <param name="succeeded">Whether the call returned a page.</param>
    /// <param name="options">The reader's options.</param>
    /// <returns>The gap.</returns>
    public static TimeSpan GapAfter(int recordCount, long? millisBehindLatest, bool succeeded, ShardReaderOptions options) =>
        succeeded && recordCount == 0 && millisBehindLatest is null or 0
            ? options.IdleTimeBetweenReads
            : options.MinTimeBetweenReads;

    /// <summary>How long to wait before the next call.</summary>
    /// <param name="gap">The gap the last call asks for.</param>
    /// <param name="sinceLastStart">Time since the last call started.</param>
    /// <returns>The wait; zero when the gap has passed.</returns>
    public static TimeSpan Remaining(TimeSpan gap, TimeSpan sinceLastStart) =>
        sinceLastStart >= gap ? TimeSpan.Zero : gap - sinceLastStart;
}
