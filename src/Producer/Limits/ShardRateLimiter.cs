namespace Kinesis.Clients.Producer.Limits;

/// <summary>
/// One shard's send budget: Kinesis records per second and bytes per second, both scaled by the
/// producer's RateLimit percentage of the shard's write limit (1,000 records/s, 1 MiB/s).
/// </summary>
internal sealed class ShardRateLimiter
{
    public const double ShardRecordsPerSecond = 1000;
    public const double ShardBytesPerSecond = 1024 * 1024;

    private readonly TokenBucket _records;
    private readonly TokenBucket _bytes;

    public ShardRateLimiter(int rateLimitPercent, long now, long timestampFrequency)
    {
        var scale = rateLimitPercent / 100.0;
        _records = new TokenBucket(ShardRecordsPerSecond * scale, now, timestampFrequency);
        _bytes = new TokenBucket(ShardBytesPerSecond * scale, now, timestampFrequency);
    }

    /// <summary>Takes one Kinesis record of <paramref name="size"/> bytes if both buckets can cover it.</summary>
    public bool TryTake(int size, long now)
    {
        if (!_records.CanTake(1, now) || !_bytes.CanTake(size, now))
        {
            return false;
        }

        _records.Take(1);
        _bytes.Take(size);
        return true;
    }

    /// <summary>How long until a Kinesis record of <paramref name="size"/> bytes can be taken.</summary>
    public TimeSpan TimeUntilAvailable(int size, long now)
    {
        var records = _records.TimeUntilAvailable(1, now);
        var bytes = _bytes.TimeUntilAvailable(size, now);
        return records > bytes ? records : bytes;
    }
}
