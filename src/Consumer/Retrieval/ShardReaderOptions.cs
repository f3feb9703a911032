namespace Kinesis.Clients.Consumer;

/// <summary>
/// How a consumer polls one shard with GetRecords, with the KCL's names and defaults where they apply. Validated
/// when a reader is built: a bad value throws <see cref="ArgumentException"/> naming it.
/// </summary>
/// <remarks>
/// Kinesis answers at most 5 GetRecords calls per second per shard, shared by every application reading it, and
/// 2 MiB/s. A reader starts calls at least <see cref="MinTimeBetweenReads"/> apart, so one reader alone stays
/// within the call limit; readers that share a shard are throttled and back off with jitter.
/// </remarks>
public sealed class ShardReaderOptions
{
    /// <summary>The least <see cref="MinTimeBetweenReads"/> may be: one fifth of a second, the per-shard call limit.</summary>
    public static readonly TimeSpan ReadCallFloor = TimeSpan.FromMilliseconds(200);

    /// <summary>Most Kinesis records one GetRecords call asks for, 1 to 10,000. <value>Default: 10,000 (the KCL's maxRecords).</value></summary>
    public int MaxRecords { get; set; } = KinesisClient.MaxGetRecordsLimit;

    /// <summary>
    /// Time from the start of a call that found no records, at the tip of the shard, to the start of the next.
    /// <value>Default: 1 s (the KCL's idleTimeBetweenReadsInMillis).</value>
    /// </summary>
    public TimeSpan IdleTimeBetweenReads { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Least time between the starts of two calls, whatever they returned; at least 200 ms
    /// (<see cref="ReadCallFloor"/>). <value>Default: 200 ms.</value>
    /// </summary>
    public TimeSpan MinTimeBetweenReads { get; set; } = ReadCallFloor;

    /// <summary>
    /// Most batches read ahead of the consumer, counting the one it is processing. No call starts while this many
    /// are held. <value>Default: 3 (the KCL's maxPendingProcessRecordsInput).</value>
    /// </summary>
    public int MaxPrefetchBatches { get; set; } = 3;

    /// <summary>
    /// Most user records read ahead of the consumer. No call starts while this many are held, so the buffer can
    /// exceed it by one call's records at most. <value>Default: 30,000 (the KCL's maxRecordsCount).</value>
    /// </summary>
    public int MaxPrefetchRecords { get; set; } = 30_000;

    /// <summary>
    /// Most Kinesis record data bytes read ahead of the consumer. No call starts while this many are held, so the
    /// buffer can exceed it by one call's data at most. <value>Default: 8 MiB (the KCL's maxByteSize).</value>
    /// </summary>
    public long MaxPrefetchBytes { get; set; } = 8 * 1024 * 1024;

    /// <summary>
    /// First delay before retrying a throttled or failed call; later delays grow exponentially, with jitter.
    /// <value>Default: 250 ms.</value>
    /// </summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Longest delay between retries. Calls are retried for as long as the reader runs. <value>Default: 10 s.</value></summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks every option and the rules between them.</summary>
    /// <exception cref="ArgumentException">An option is out of range; the message names it.</exception>
    internal void Validate()
    {
        if (MaxRecords is < 1 or > KinesisClient.MaxGetRecordsLimit)
        {
            throw new ArgumentException(
                $"MaxRecords must be between 1 and {KinesisClient.MaxGetRecordsLimit} (GetRecords' limit); got {MaxRecords}.", nameof(MaxRecords));
        }

        if (MinTimeBetweenReads < ReadCallFloor)
        {
            throw new ArgumentException(
                $"MinTimeBetweenReads must be at least {ReadCallFloor.TotalMilliseconds} ms, or one reader alone exceeds the 5 GetRecords/s a shard allows; got {MinTimeBetweenReads}.",
                nameof(MinTimeBetweenReads));
        }

        if (IdleTimeBetweenReads < MinTimeBetweenReads)
        {
            throw new ArgumentException(
                $"IdleTimeBetweenReads ({IdleTimeBetweenReads}) must be at least MinTimeBetweenReads ({MinTimeBetweenReads}).", nameof(IdleTimeBetweenReads));
        }

        Positive(MaxPrefetchBatches, nameof(MaxPrefetchBatches));
        Positive(MaxPrefetchRecords, nameof(MaxPrefetchRecords));
        Positive(MaxPrefetchBytes, nameof(MaxPrefetchBytes));
        if (RetryBaseDelay <= TimeSpan.Zero)
        {
            throw new ArgumentException($"RetryBaseDelay must be positive; got {RetryBaseDelay}.", nameof(RetryBaseDelay));
        }

        if (RetryMaxDelay < RetryBaseDelay)
        {
            throw new ArgumentException(
                $"RetryMaxDelay ({RetryMaxDelay}) must be at least RetryBaseDelay ({RetryBaseDelay}).", nameof(RetryMaxDelay));
        }
    }

    /// <summary>A copy, so that a running reader does not see later changes.</summary>
    /// <returns>The copy.</returns>
    internal ShardReaderOptions Clone() => (ShardReaderOptions)MemberwiseClone();

    private static void Positive(long value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentException($"{name} must be at least 1; got {value}.", name);
        }
    }
}
