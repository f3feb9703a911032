using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// One record a caller handed to the producer, from acceptance until it is acknowledged or reported
/// failed. Completes exactly once, whichever path (success, failure, expiry, shutdown) gets there first.
/// </summary>
internal sealed class UserRecord
{
    // A TaskCompletionSource<PutResult> for PutAsync, an IPutObserver for observed records, or null.
    private readonly object? _completion;
    private readonly long _token;
    private readonly int _dataLength;

    // Null while a run's data lives only in the sealed aggregate it travels in (see GiveUpData).
    private byte[]? _data;
    private readonly bool _pooled;
    private List<Attempt>? _prior;
    private int _completed;

    public UserRecord(
        StreamContext stream,
        string partitionKey,
        string? explicitHashKey,
        ReadOnlySpan<byte> data,
        int size,
        long acceptedAt,
        FlushEpoch epoch,
        bool awaited,
        IPutObserver? observer = null,
        long token = 0,
        int[]? lengths = null)
    {
        Lengths = lengths;

        // A run's data (many records, up to an aggregate's size) lives in a pooled array until the run completes:
        // a file shipper puts its whole input through here, and fresh arrays were most of its garbage.
        _dataLength = data.Length;
        _pooled = lengths is not null;
        _data = _pooled ? AggregateBuffers.Rent(data.Length, stream.Producer.Options.AggregationMaxSize) : data.ToArray();
        data.CopyTo(_data);
        Stream = stream;
        PartitionKey = partitionKey;
        ExplicitHashKey = explicitHashKey;
        Size = size;
        AcceptedAt = acceptedAt;
        Epoch = epoch;
        if (awaited)
        {
            _completion = new TaskCompletionSource<PutResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        else if (observer is not null)
        {
            _completion = observer;
            _token = token;
        }
    }

    public StreamContext Stream { get; }

    public string PartitionKey { get; }

    public string? ExplicitHashKey { get; }

    /// <summary>
    /// The record's data (a run's records back to back). Not to be read once the record is completed, nor while a
    /// run has given it up to its sealed aggregate (<see cref="GiveUpData"/>) and not got it back.
    /// </summary>
    public ReadOnlyMemory<byte> Data => _data is { } data
        ? data.AsMemory(0, _dataLength)
        : throw new InvalidOperationException("The run's data is held by its sealed aggregate; it must be restored from it first.");

    /// <summary>The length of <see cref="Data"/>, whether or not the record holds it now.</summary>
    public int DataLength => _dataLength;

    /// <summary>For a run (<see cref="KinesisProducer.EnqueueRunAsync"/>): each record's length in <see cref="Data"/>; else <see langword="null"/>.</summary>
    public int[]? Lengths { get; }

    /// <summary>How many user records it stands for: 1, or the records of a run.</summary>
    public int Count => Lengths?.Length ?? 1;

    /// <summary>
    /// The hash key that places it, computed again (from the producer's key cache) when it must be routed again:
    /// its first routing gets the key with the record through the pipeline's inbox, so the record does not carry
    /// 16 bytes through its whole life for a value needed once.
    /// </summary>
    public HashKey ComputeHashKey() => Stream.Producer.HashKeyOf(PartitionKey, ExplicitHashKey);

    /// <summary>Data plus partition key bytes: what the record counts against buffers and limits.</summary>
    public int Size { get; }

    /// <summary>When the producer accepted it (<see cref="TimeProvider.GetTimestamp"/> units).</summary>
    public long AcceptedAt { get; }

    /// <summary>When it expires (accepted + RecordTtl); computed, not stored, to keep the record small (it lives through the linger).</summary>
    public long Deadline => Stream.Producer.DeadlineOf(AcceptedAt);

    public FlushEpoch Epoch { get; }

    public Task<PutResult>? Completion => (_completion as TaskCompletionSource<PutResult>)?.Task;

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>
    /// Whether nothing but the aggregate it goes into needs to know it (<see cref="UnobservedRecords"/>): no one awaits
    /// it, no observer hears of it, it is not a run, and it carries no attempts of an earlier Kinesis record.
    /// </summary>
    public bool IsUnobserved => _completion is null && Lengths is null && _prior is null;

    /// <summary>
    /// Every attempt so far: those of earlier Kinesis records it travelled in, then <paramref name="current"/>'s,
    /// the attempts of the Kinesis record it is in now (<see langword="null"/> when it is in none).
    /// </summary>
    /// <remarks>
    /// The record does not point at its current Kinesis record's attempt list: whoever completes it or takes it
    /// out of that Kinesis record holds the list. Pointing at it meant a write into every user record when an
    /// aggregate was sealed, hundreds of cache misses per aggregate.
    /// </remarks>
    public IReadOnlyList<Attempt> AttemptsWith(List<Attempt>? current)
    {
        IReadOnlyList<Attempt> now = current ?? [];
        return _prior is null ? now.ToArray() : [.. _prior, .. now];
    }

    /// <summary>How many attempts <see cref="AttemptsWith"/> would list.</summary>
    public int AttemptCountWith(List<Attempt>? current) => (_prior?.Count ?? 0) + (current?.Count ?? 0);

    /// <summary>
    /// Leaves the Kinesis record it travelled in without completing (to be routed again): that record's attempts
    /// are kept as earlier attempts.
    /// </summary>
    public void Leave(List<Attempt> kinesisRecordAttempts)
    {
        if (kinesisRecordAttempts.Count > 0)
        {
            (_prior ??= []).AddRange(kinesisRecordAttempts);
        }
    }

    /// <summary>
    /// Completes the record as stored, without releasing its buffer room: the caller releases the room of
    /// every record it completed in one call (<see cref="StreamContext.OnRecordsStored"/>), which keeps the
    /// buffer's lock off the per-record path.
    /// </summary>
    /// <returns>Whether this call completed the record (false when it was already completed).</returns>
    public bool TrySucceed(string shardId, string sequenceNumber, int subSequenceNumber, bool aggregated, List<Attempt> attempts)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        // Complete the caller's task before the flush epoch hears of it, so a finished flush implies finished puts.
        if (_completion is TaskCompletionSource<PutResult> completion)
        {
            completion.TrySetResult(new PutResult(Stream.StreamName, shardId, sequenceNumber, subSequenceNumber, aggregated, AttemptsWith(attempts)));
        }
        else if (_completion is IPutObserver observer)
        {
            Stream.Producer.NotifySucceeded(observer, _token, shardId, sequenceNumber);
        }

        ReturnData();
        return true;
    }

    /// <param name="errorCode">Why.</param>
    /// <param name="errorMessage">The explanation.</param>
    /// <param name="attempts">The attempts of the Kinesis record it is in, if it is in one.</param>
    /// <returns>Whether this call completed the record (false when it was already completed).</returns>
    public bool TryFail(string errorCode, string errorMessage, List<Attempt>? attempts = null)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        var failure = new RecordFailure(Stream.StreamName, PartitionKey, ExplicitHashKey, _pooled ? Data.ToArray() : Data, errorCode, errorMessage, AttemptsWith(attempts))
        {
            RecordLengths = Lengths,
        };
        if (_completion is TaskCompletionSource<PutResult> completion)
        {
            completion.TrySetException(new RecordFailedException(failure));
        }

        Stream.Producer.ReportFailure(failure, _completion as IPutObserver, _token);
        Stream.OnRecordCompleted(this);
        ReturnData();
        return true;
    }

    /// <summary>
    /// Returns a run's data to the pool once the run is inside a sealed, plain aggregate: from then on the aggregate
    /// is the only copy (a copy per buffered byte less), and <see cref="RestoreData"/> takes the data back out of it
    /// when the run must leave the aggregate unsent. Called by the pipeline's loop as it seals; a record that is not
    /// a run keeps its data (it is not pooled, and touching every lone record at seal costs a cache miss each).
    /// </summary>
    public void GiveUpData()
    {
        if (_pooled && _data is { } data)
        {
            _data = null;
            AggregateBuffers.Return(data);
        }
    }

    /// <summary>Whether the run gave its data up to its aggregate and has not got it back.</summary>
    public bool HasGivenUpData => _pooled && _data is null;

    /// <summary>
    /// Takes a run's data back from the sub-records of the aggregate it gave it up to: the run's records are the
    /// <see cref="Count"/> sub-records from <paramref name="first"/> on, in order.
    /// </summary>
    public void RestoreData(List<DeaggregatedRecord> subRecords, int first)
    {
        if (!HasGivenUpData)
        {
            return;
        }

        var lengths = Lengths!;
        if (first + lengths.Length > subRecords.Count)
        {
            throw new InvalidOperationException($"The aggregate has {subRecords.Count} records; the run needs {lengths.Length} from record {first} on.");
        }

        var data = AggregateBuffers.Rent(_dataLength, Stream.Producer.Options.AggregationMaxSize);
        var offset = 0;
        for (var i = 0; i < lengths.Length; i++)
        {
            var part = subRecords[first + i].Data.Span;
            if (part.Length != lengths[i] || offset + part.Length > _dataLength)
            {
                AggregateBuffers.Return(data);
                throw new InvalidOperationException($"Record {first + i} of the aggregate has {part.Length} bytes; the run's record {i} had {lengths[i]}.");
            }

            part.CopyTo(data.AsSpan(offset));
            offset += part.Length;
        }

        _data = data;
    }

    // Only the caller that completed the record gets here, once: whoever held the record is done with its data
    // (aggregates copied it when it was added; a run never travels as a raw single record).
    private void ReturnData()
    {
        if (_pooled && _data is { } data)
        {
            _data = null;
            AggregateBuffers.Return(data);
        }
    }
}
