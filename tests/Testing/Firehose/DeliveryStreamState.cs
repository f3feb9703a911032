namespace Kinesis.Clients.Testing;

/// <summary>
/// One delivery stream of <see cref="LoopbackFirehose"/>: its quota's buckets and every record it accepted, in order.
/// Not thread-safe: the server's lock serialises access.
/// </summary>
internal sealed class DeliveryStreamState
{
    private readonly TimeProvider _time;
    private TokenBucket _bytes = null!;
    private TokenBucket _requests = null!;
    private TokenBucket _records = null!;

    public DeliveryStreamState(string name, string arn, FirehoseQuota quota, TimeProvider time)
    {
        Name = name;
        Arn = arn;
        CreatedAt = time.GetUtcNow();
        _time = time;
        SetQuota(quota);
    }

    public string Name { get; }

    public string Arn { get; }

    public DateTimeOffset CreatedAt { get; }

    public FirehoseQuota Quota { get; private set; } = FirehoseQuota.Default;

    public List<byte[]> Records { get; } = [];

    public long ThrottledEntries { get; set; }

    /// <summary>Buckets hold one second of quota, as the service's per-second limits allow short bursts of that size.</summary>
    public void SetQuota(FirehoseQuota quota)
    {
        Quota = quota;
        _bytes = new TokenBucket(_time, quota.BytesPerSecond, quota.BytesPerSecond);
        _requests = new TokenBucket(_time, quota.RequestsPerSecond, quota.RequestsPerSecond);
        _records = new TokenBucket(_time, quota.RecordsPerSecond, quota.RecordsPerSecond);
    }

    /// <summary>Takes one request from the quota; <see langword="false"/> when the request rate is exceeded.</summary>
    public bool TryTakeRequest()
    {
        if (!_requests.CanTake(1))
        {
            return false;
        }

        _requests.Take(1);
        return true;
    }

    /// <summary>Takes one record of <paramref name="length"/> bytes from the quota; <see langword="false"/> when it is exceeded.</summary>
    public bool TryTakeRecord(int length)
    {
        if (!_records.CanTake(1) || !_bytes.CanTake(length))
        {
            return false;
        }

        _records.Take(1);
        _bytes.Take(length);
        return true;
    }
}
