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
    private List<Attempt>? _prior;
    private List<Attempt>? _current;
    private int _completed;

    public UserRecord(
        StreamPipeline stream,
        string partitionKey,
        string? explicitHashKey,
        byte[] data,
        HashKey hashKey,
        int size,
        long acceptedAt,
        FlushEpoch epoch,
        bool awaited,
        IPutObserver? observer = null,
        long token = 0)
    {
        Stream = stream;
        PartitionKey = partitionKey;
        ExplicitHashKey = explicitHashKey;
        Data = data;
        HashKey = hashKey;
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

    public StreamPipeline Stream { get; }

    public string PartitionKey { get; }

    public string? ExplicitHashKey { get; }

    public byte[] Data { get; }

    public HashKey HashKey { get; }

    /// <summary>Data plus partition key bytes: what the record counts against buffers and limits.</summary>
    public int Size { get; }

    /// <summary>When the producer accepted it (<see cref="TimeProvider.GetTimestamp"/> units).</summary>
    public long AcceptedAt { get; }

    /// <summary>When it expires (accepted + RecordTtl); computed, not stored, to keep the record small (it lives through the linger).</summary>
    public long Deadline => Stream.Producer.DeadlineOf(AcceptedAt);

    public FlushEpoch Epoch { get; }

    public Task<PutResult>? Completion => (_completion as TaskCompletionSource<PutResult>)?.Task;

    public bool IsCompleted => Volatile.Read(ref _completed) != 0;

    /// <summary>Every attempt so far: those of earlier Kinesis records it travelled in, then the current one's.</summary>
    public IReadOnlyList<Attempt> Attempts
    {
        get
        {
            var current = (IReadOnlyList<Attempt>?)_current ?? [];
            return _prior is null ? current.ToArray() : [.. _prior, .. current];
        }
    }

    /// <summary>
    /// Joins the Kinesis record it now travels in. The attempt list is shared by every user record of that
    /// Kinesis record (one list per aggregate, not per user record); earlier attempts are kept.
    /// </summary>
    public void Join(List<Attempt> kinesisRecordAttempts)
    {
        if (_current is { Count: > 0 })
        {
            (_prior ??= []).AddRange(_current);
        }

        _current = kinesisRecordAttempts;
    }

    /// <summary>
    /// Completes the record as stored, without releasing its buffer room: the caller releases the room of
    /// every record it completed in one call (<see cref="StreamPipeline.OnRecordsStored"/>), which keeps the
    /// buffer's lock off the per-record path.
    /// </summary>
    /// <returns>Whether this call completed the record (false when it was already completed).</returns>
    public bool TrySucceed(string shardId, string sequenceNumber, int subSequenceNumber, bool aggregated)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        // Complete the caller's task before the flush epoch hears of it, so a finished flush implies finished puts.
        if (_completion is TaskCompletionSource<PutResult> completion)
        {
            completion.TrySetResult(new PutResult(Stream.StreamName, shardId, sequenceNumber, subSequenceNumber, aggregated, Attempts));
        }
        else if (_completion is IPutObserver observer)
        {
            Stream.Producer.NotifySucceeded(observer, _token, shardId, sequenceNumber);
        }

        return true;
    }

    /// <returns>Whether this call completed the record (false when it was already completed).</returns>
    public bool TryFail(string errorCode, string errorMessage)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        var failure = new RecordFailure(Stream.StreamName, PartitionKey, ExplicitHashKey, Data, errorCode, errorMessage, Attempts);
        if (_completion is TaskCompletionSource<PutResult> completion)
        {
            completion.TrySetException(new RecordFailedException(failure));
        }

        Stream.Producer.ReportFailure(failure, _completion as IPutObserver, _token);
        Stream.OnRecordCompleted(this, succeeded: false);
        return true;
    }
}
