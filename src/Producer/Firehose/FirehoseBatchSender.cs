using System.Net;
using Kinesis.Clients.Firehose;
using Kinesis.Clients.Producer.Pipeline;

namespace Kinesis.Clients.Producer.Firehose;

/// <summary>
/// Sends one PutRecordBatch request and retries only its failed entries, with the producer's backoff and jitter, on
/// throttling ("Slow down."), 5xx and network errors, until each Firehose record is stored, fails for good, or expires.
/// </summary>
internal sealed class FirehoseBatchSender
{
    private readonly FirehoseParts _parts;
    private readonly string _deliveryStreamName;

    public FirehoseBatchSender(FirehoseParts parts, string deliveryStreamName)
    {
        _parts = parts;
        _deliveryStreamName = deliveryStreamName;
    }

    public async Task SendAsync(List<FirehoseRecordItem> batch, CancellationToken stopToken)
    {
        var state = (Sender: this, Pending: batch);
        try
        {
            await _parts.Retry.ExecuteAsync(
                static (s, token) => s.Sender.AttemptAsync(s.Pending, token),
                state,
                stopToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopped while waiting for a retry; what is left fails below.
        }
        finally
        {
            foreach (var item in batch)
            {
                Fail(item, RecordFailure.ProducerDisposed, "The producer was disposed before the record was acknowledged.");
            }

            batch.Clear();
        }
    }

    private async ValueTask<BatchProgress> AttemptAsync(List<FirehoseRecordItem> pending, CancellationToken cancellationToken)
    {
        var time = _parts.Time;
        var now = time.GetTimestamp();
        pending.RemoveAll(item => ExpireIfDue(item, now));
        if (pending.Count == 0)
        {
            return BatchProgress.Done;
        }

        var data = new ReadOnlyMemory<byte>[pending.Count];
        for (var i = 0; i < pending.Count; i++)
        {
            data[i] = pending[i].Data;
        }

        PutRecordBatchResponse response;
        try
        {
            response = await _parts.Client.PutRecordBatchAsync(_deliveryStreamName, data, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            return WholeCallFailed(pending, ex, now);
        }

        var elapsed = time.GetElapsedTime(now);
        _parts.CredentialsLog.Succeeded();
        long users = 0;
        foreach (var item in pending)
        {
            users += item.Users.Count;
        }

        _parts.Metrics.RequestSucceeded(_deliveryStreamName, pending.Count, users, elapsed);
        var left = new List<FirehoseRecordItem>();
        string? firstError = null;
        int storedUsers = 0, failedUsers = 0;
        long storedBytes = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var item = pending[i];
            var result = response.Results[i];
            var delay = time.GetElapsedTime(item.WaitingSince, now);
            if (result.Succeeded)
            {
                item.Attempts.Add(new Attempt(delay, elapsed, null, null));
                storedUsers += item.Users.Count;
                storedBytes += item.UserDataBytes;
                _parts.Metrics.StoredRecord(_deliveryStreamName, item.Users.Count, item.UserDataBytes, item.Data.Length, item.Attempts);
                foreach (var user in item.Users)
                {
                    user.TrySucceed(result.RecordId!, item.IsJoined, item.Attempts);
                }

                continue;
            }

            var code = result.ErrorCode ?? "UnknownError";
            firstError ??= code;
            failedUsers += item.Users.Count;
            item.Attempts.Add(new Attempt(delay, elapsed, code, result.ErrorMessage));
            _parts.Metrics.EntryFailed(_deliveryStreamName, code);
            var throttled = result.IsThrottling;
            if ((throttled || AwsErrorCodes.IsRetryable(code, HttpStatusCode.OK)) && !(throttled && _parts.Options.FailIfThrottled))
            {
                item.WaitingSince = time.GetTimestamp();
                left.Add(item);
            }
            else
            {
                Fail(item, code, result.ErrorMessage ?? code);
            }
        }

        Report((int)users, storedUsers, storedBytes, failedUsers, null);
        if (left.Count > 0)
        {
            FirehoseLog.PartialFailure(_parts.Logger, _deliveryStreamName, left.Count, pending.Count, firstError);
        }

        pending.Clear();
        pending.AddRange(left);
        return pending.Count > 0 ? BatchProgress.Retry : BatchProgress.Done;
    }

    private BatchProgress WholeCallFailed(List<FirehoseRecordItem> pending, AwsServiceException ex, long now)
    {
        var time = _parts.Time;
        var duration = time.GetElapsedTime(now);
        var code = ex.ErrorCode ?? (ex.StatusCode is null ? "NetworkError" : $"Http{(int)ex.StatusCode}");
        var retry = ex.IsRetryable && !(ex.IsThrottling && _parts.Options.FailIfThrottled);
        var users = 0;
        foreach (var item in pending)
        {
            users += item.Users.Count;
        }

        Report(users, 0, 0, 0, code);
        foreach (var item in pending)
        {
            item.Attempts.Add(new Attempt(time.GetElapsedTime(item.WaitingSince, now), duration, code, ex.Message));
            if (retry)
            {
                item.WaitingSince = time.GetTimestamp();
            }
            else
            {
                Fail(item, code, ex.Message);
            }
        }

        if (ex is AwsCredentialsException credentials)
        {
            _parts.CredentialsLog.Failed(credentials);
        }
        else
        {
            FirehoseLog.RequestFailed(_parts.Logger, _deliveryStreamName, ex.Message);
        }

        _parts.Metrics.RequestFailed(_deliveryStreamName, code, pending.Count, duration);
        if (!retry)
        {
            pending.Clear();
        }

        return pending.Count > 0 ? BatchProgress.Retry : BatchProgress.Done;
    }

    private void Report(int users, int storedUsers, long storedBytes, int failedUsers, string? requestError)
    {
        if (_parts.Options.OnPutRecordBatchRequest is not { } report)
        {
            return;
        }

        try
        {
            report(new PutRecordsRequestOutcome(_deliveryStreamName, users, storedUsers, storedBytes, failedUsers, requestError));
        }
        catch (Exception ex)
        {
            ProducerLog.CallbackFailed(_parts.Logger, ex);
        }
    }

    private bool ExpireIfDue(FirehoseRecordItem item, long now)
    {
        if (now < _parts.DeadlineOf(item.Users[0].AcceptedAt))
        {
            return false;
        }

        var last = item.Attempts.Count > 0 ? item.Attempts[^1] : null;
        var reason = last is null
            ? $"The record outlived RecordTtl ({_parts.Options.RecordTtl}) before it could be sent."
            : $"The record outlived RecordTtl ({_parts.Options.RecordTtl}) after {item.Attempts.Count} attempts; the last failed with {last.ErrorCode}: {last.ErrorMessage}";
        Fail(item, RecordFailure.Expired, reason);
        return true;
    }

    private static void Fail(FirehoseRecordItem item, string code, string message)
    {
        foreach (var user in item.Users)
        {
            user.TryFail(code, message, item.Attempts);
        }
    }
}
