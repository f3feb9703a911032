namespace Kinesis.Clients.Producer.Limits;

/// <summary>
/// One shard's send budget: Kinesis records per second and bytes per second, both scaled by the
/// producer's RateLimit percentage of the shard's write limit (1,000 records/s, 1 MiB/s).
/// </summary>
/// <remarks>
/// Every Kinesis record sent is charged, first attempts (<see cref="TrySend"/>, when a request is planned) and
/// retries (<see cref="Charge"/>, when sent) alike, as the KPL's limiter charges every record it passes on, retried
/// ones included. A charged record counts as on its way until its attempt is answered (<see cref="Release"/>); until
/// then its budget does not refill (see <see cref="TokenBucket"/>), so records planned over a second and held up on
/// the way (a connection queue, a stalled thread) cannot arrive at the shard together with the next second's.
/// </remarks>
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

    /// <summary>
    /// Takes one Kinesis record of <paramref name="size"/> bytes about to be sent, if both buckets can cover it; it
    /// counts as on its way until <see cref="Release"/>.
    /// </summary>
    public bool TrySend(int size, long now)
    {
        if (!_records.CanTake(1, now) || !_bytes.CanTake(size, now))
        {
            return false;
        }

        Charge(size, now);
        return true;
    }

    /// <summary>Charges a Kinesis record sent without asking (a retry after its backoff), overdrawing if need be; on its way until <see cref="Release"/>.</summary>
    public void Charge(int size, long now)
    {
        _records.Send(1, now);
        _bytes.Send(size, now);
    }

    /// <summary>An attempt holding a charged Kinesis record of <paramref name="size"/> bytes was answered (or never sent).</summary>
    public void Release(int size, long now)
    {
        _records.Release(1, now);
        _bytes.Release(size, now);
    }

    /// <summary>How long until a Kinesis record of <paramref name="size"/> bytes can be taken.</summary>
    public TimeSpan TimeUntilAvailable(int size, long now)
    {
        var records = _records.TimeUntilAvailable(1, now);
        var bytes = _bytes.TimeUntilAvailable(size, now);
        return records > bytes ? records : bytes;
    }
}
