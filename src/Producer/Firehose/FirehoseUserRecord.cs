using Kinesis.Clients.Producer.Buffering;

namespace Kinesis.Clients.Producer.Firehose;

/// <summary>
/// One record a caller handed to the <see cref="FirehoseProducer"/>, from acceptance until stored or failed. Completes
/// exactly once, whichever path gets there first, and then gives back its buffer room and leaves its flush epoch.
/// </summary>
internal sealed class FirehoseUserRecord
{
    // A TaskCompletionSource<FirehosePutResult> for PutAsync, an IPutObserver for observed records, or null.
    private readonly object? _completion;
    private readonly long _token;
    private readonly FirehoseParts _parts;
    private int _completed;

    public FirehoseUserRecord(FirehoseParts parts, string deliveryStreamName, ReadOnlySpan<byte> data, long acceptedAt, FlushEpoch epoch, bool awaited, IPutObserver? observer, long token)
    {
        _parts = parts;
        DeliveryStreamName = deliveryStreamName;
        Data = data.ToArray();
        AcceptedAt = acceptedAt;
        Epoch = epoch;
        if (awaited)
        {
            _completion = new TaskCompletionSource<FirehosePutResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        else if (observer is not null)
        {
            _completion = observer;
            _token = token;
        }
    }

    public string DeliveryStreamName { get; }

    public byte[] Data { get; }

    public long AcceptedAt { get; }

    public FlushEpoch Epoch { get; }

    public Task<FirehosePutResult>? Completion => (_completion as TaskCompletionSource<FirehosePutResult>)?.Task;

    public bool EndsWithNewline => Data.Length > 0 && Data[^1] == (byte)'\n';

    public bool TrySucceed(string recordId, bool joined, List<Attempt> attempts)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        if (_completion is TaskCompletionSource<FirehosePutResult> completion)
        {
            completion.TrySetResult(new FirehosePutResult(DeliveryStreamName, recordId, joined, attempts.ToArray()));
        }
        else if (_completion is IPutObserver observer)
        {
            try
            {
                observer.OnPutSucceeded(_token, DeliveryStreamName, recordId);
            }
            catch (Exception ex)
            {
                ProducerLog.CallbackFailed(_parts.Logger, ex);
            }
        }

        Done();
        return true;
    }

    public bool TryFail(string errorCode, string errorMessage, List<Attempt>? attempts = null)
    {
        if (Interlocked.Exchange(ref _completed, 1) != 0)
        {
            return false;
        }

        var failure = new RecordFailure(DeliveryStreamName, "", null, Data, errorCode, errorMessage, attempts?.ToArray() ?? []);
        if (_completion is TaskCompletionSource<FirehosePutResult> completion)
        {
            completion.TrySetException(new RecordFailedException(failure));
        }

        if (errorCode == RecordFailure.Expired)
        {
            _parts.Metrics.Expired(DeliveryStreamName, 1);
        }

        _parts.Callbacks.Report(failure, _completion as IPutObserver, _token);
        Done();
        return true;
    }

    private void Done()
    {
        _parts.Budget.Release(Data.Length, 1);
        Epoch.Exit();
    }
}
