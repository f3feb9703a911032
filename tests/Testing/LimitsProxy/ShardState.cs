namespace Kinesis.Clients.Testing;

/// <summary>
/// One shard's throughput buckets and traffic counters. Outlives shard-map refreshes, so a refresh
/// never hands a shard fresh capacity.
/// </summary>
internal sealed class ShardState
{
    private readonly Lock _gate = new();
    private readonly TokenBucket _writeRecords;
    private readonly TokenBucket _writeBytes;
    private readonly TokenBucket _readCalls;
    private readonly TokenBucket _readBytes;
    private long _sequence;
    private long _records;
    private long _bytes;
    private long _dataBytes;
    private long _throttledWrites;
    private long _readCallCount;
    private long _readRecords;
    private long _readByteCount;
    private long _throttledReads;

    public ShardState(string streamName, string shardId, LimitSettings limits)
    {
        StreamName = streamName;
        ShardId = shardId;
        Limits = limits;
        ThrottledMessage = $"Rate exceeded for shard {shardId} in stream {streamName} under account {limits.AccountId}.";
        var burst = limits.Burst.TotalSeconds;
        _writeRecords = new TokenBucket(limits.Time, limits.WriteRecordsPerSecond, limits.WriteRecordsPerSecond * burst);
        _writeBytes = new TokenBucket(limits.Time, limits.WriteBytesPerSecond, limits.WriteBytesPerSecond * burst);
        _readCalls = new TokenBucket(limits.Time, limits.ReadCallsPerSecond, limits.ReadCallsPerSecond * burst);
        _readBytes = new TokenBucket(limits.Time, limits.ReadBytesPerSecond, limits.ReadBytesPerSecond * burst);
    }

    public string StreamName { get; }

    public string ShardId { get; }

    public LimitSettings Limits { get; }

    /// <summary>The ProvisionedThroughputExceededException message the service gives for this shard.</summary>
    public string ThrottledMessage { get; }

    /// <summary>Admits one record of <paramref name="bytes"/> (data plus key) if both write buckets allow it.</summary>
    public bool TryAdmitWrite(int bytes)
    {
        if (!Limits.Enforce)
        {
            return true;
        }

        lock (_gate)
        {
            if (_writeRecords.CanTake(1) && _writeBytes.CanTake(bytes))
            {
                _writeRecords.Take(1);
                _writeBytes.Take(bytes);
                return true;
            }
        }

        Interlocked.Increment(ref _throttledWrites);
        return false;
    }

    /// <summary>Counts a write refused whatever the buckets hold (<see cref="LimitsProxyFaults.ThrottledShards"/>); true.</summary>
    public bool RefuseWrite()
    {
        Interlocked.Increment(ref _throttledWrites);
        return true;
    }

    /// <summary>
    /// Admits one GetRecords call. Bytes are charged after the reply (<see cref="ChargeRead"/>), so a big
    /// read leaves the byte bucket in debt and the following calls fail until it refills, as the service does.
    /// </summary>
    public bool TryAdmitRead()
    {
        if (Limits.Enforce)
        {
            lock (_gate)
            {
                if (!_readCalls.CanTake(1) || _readBytes.Tokens <= 0)
                {
                    Interlocked.Increment(ref _throttledReads);
                    return false;
                }

                _readCalls.Take(1);
            }
        }

        Interlocked.Increment(ref _readCallCount);
        return true;
    }

    public void ChargeRead(int records, long bytes)
    {
        Interlocked.Add(ref _readRecords, records);
        Interlocked.Add(ref _readByteCount, bytes);
        if (Limits.Enforce && bytes > 0)
        {
            lock (_gate)
            {
                _readBytes.Take(bytes);
            }
        }
    }

    /// <summary>The next sequence number of this shard (standalone mode).</summary>
    public long NextSequence() => Interlocked.Increment(ref _sequence);

    public void CountAccepted(int bytes, int dataBytes)
    {
        Interlocked.Increment(ref _records);
        Interlocked.Add(ref _bytes, bytes);
        Interlocked.Add(ref _dataBytes, dataBytes);
    }

    public ShardTraffic Snapshot() => new(
        StreamName,
        ShardId,
        Interlocked.Read(ref _records),
        Interlocked.Read(ref _bytes),
        Interlocked.Read(ref _dataBytes),
        Interlocked.Read(ref _throttledWrites),
        Interlocked.Read(ref _readCallCount),
        Interlocked.Read(ref _readRecords),
        Interlocked.Read(ref _readByteCount),
        Interlocked.Read(ref _throttledReads));

    public void ResetCounters()
    {
        Interlocked.Exchange(ref _records, 0);
        Interlocked.Exchange(ref _bytes, 0);
        Interlocked.Exchange(ref _dataBytes, 0);
        Interlocked.Exchange(ref _throttledWrites, 0);
        Interlocked.Exchange(ref _readCallCount, 0);
        Interlocked.Exchange(ref _readRecords, 0);
        Interlocked.Exchange(ref _readByteCount, 0);
        Interlocked.Exchange(ref _throttledReads, 0);
    }
}
