using Kinesis.Clients.Encryption;
using Polly;

namespace Kinesis.Clients.Producer.Pipeline;

/// <summary>
/// Sends one PutRecords request and retries only its failed entries, with exponential backoff and jitter
/// (Polly) on throttling, 5xx and network errors, until each Kinesis record succeeds, fails for good, or
/// expires. Successes are checked against the shard they landed on (<see cref="StoredRecords"/>), so an aggregate
/// built from a stale shard map is never half-succeeded: sub-records outside that shard's range are routed again.
/// </summary>
internal sealed class BatchSender
{
    private readonly StreamPipeline _pipeline;
    private readonly KinesisClient _client;
    private readonly StoredRecords _stored;
    private readonly ResiliencePipeline<BatchProgress> _retry;

    public BatchSender(StreamPipeline pipeline, KinesisClient client, ShardMapSource maps, ResiliencePipeline<BatchProgress> retry)
    {
        _pipeline = pipeline;
        _client = client;
        _stored = new StoredRecords(pipeline, maps);
        _retry = retry;
    }

    public async Task SendAsync(List<KinesisRecordItem> batch)
    {
        var state = new BatchState(this, batch);
        try
        {
            await _retry.ExecuteAsync(
                static (s, token) => s.Sender.AttemptAsync(s, token),
                state,
                _pipeline.StopToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Shutdown while waiting for a retry; handled below.
        }
        finally
        {
            foreach (var item in state.Pending)
            {
                FailItem(item, RecordFailure.ProducerDisposed, "The producer was disposed before the record was acknowledged.");
            }

            if (state.HoldsSlot)
            {
                _pipeline.OnBatchDone();
            }
        }
    }

    private async ValueTask<BatchProgress> AttemptAsync(BatchState state, CancellationToken cancellationToken)
    {
        // The planner charged the first attempt's records to their shards' rate limiters; a retry's are charged
        // when its slot is granted. Either way they count as on their way until this attempt is over.
        state.Charged = state.HoldsSlot ? [.. state.Pending] : null;
        try
        {
            return await SendAttemptAsync(state, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            if (state.Charged is { } charged)
            {
                _pipeline.OnAttemptAnswered(charged);
            }
        }
    }

    private async ValueTask<BatchProgress> SendAttemptAsync(BatchState state, CancellationToken cancellationToken)
    {
        var time = _pipeline.Time;
        var now = time.GetTimestamp();
        state.Pending.RemoveAll(item => ExpireIfDue(item, now));
        if (state.Pending.Count == 0)
        {
            return BatchProgress.Done;
        }

        if (!state.HoldsSlot)
        {
            state.Charged = [.. state.Pending];
            await _pipeline.AcquireSlotAsync(state.Charged, cancellationToken).ConfigureAwait(false);
            state.HoldsSlot = true;
            now = time.GetTimestamp();
        }

        state.AttemptNumber++;
        var pending = state.Pending;
        KinesisRecordItem.CompleteDigests(pending);
        if (_pipeline.Context.Encryptor is { } encryptor && !await TryEncryptAsync(encryptor, pending, now, cancellationToken).ConfigureAwait(false))
        {
            return Backoff(state);
        }
        var entries = new PutRecordsEntry[pending.Count];
        for (var i = 0; i < pending.Count; i++)
        {
            entries[i] = new PutRecordsEntry(pending[i].PartitionKey, pending[i].Data, pending[i].ExplicitHashKey);
        }

        PutRecordsResponse response;
        try
        {
            response = await _client.PutRecordsAsync(_pipeline.StreamName, entries, cancellationToken).ConfigureAwait(false);
        }
        catch (AwsServiceException ex)
        {
            var duration = time.GetElapsedTime(now);
            var code = ex.ErrorCode ?? (ex.StatusCode is null ? "NetworkError" : $"Http{(int)ex.StatusCode}");
            var retry = ex.IsRetryable && !(ex.IsThrottling && _pipeline.Options.FailIfThrottled);
            foreach (var item in pending)
            {
                item.Attempts.Add(new Attempt(time.GetElapsedTime(item.WaitingSince, now), duration, code, ex.Message));
                if (retry)
                {
                    MarkWaiting(item);
                }
                else
                {
                    FailItem(item, code, ex.Message);
                }
            }

            if (ex is AwsCredentialsException credentials)
            {
                _pipeline.CredentialsLog.Failed(credentials);
            }
            else
            {
                ProducerLog.RequestFailed(_pipeline.Logger, _pipeline.StreamName, ex.Message);
            }

            _pipeline.Metrics.RequestFailed(_pipeline.StreamName, code, pending.Count, duration);
            Report(pending, 0, 0, 0, code);
            if (!retry)
            {
                pending.Clear();
            }

            return pending.Count > 0 ? Backoff(state) : BatchProgress.Done;
        }

        var elapsed = time.GetElapsedTime(now);
        _pipeline.CredentialsLog.Succeeded();
        _pipeline.Metrics.RequestSucceeded(_pipeline.StreamName, pending, elapsed);
        var retryable = new List<KinesisRecordItem>();
        string? firstError = null;
        int storedUsers = 0, failedUsers = 0;
        long storedBytes = 0;
        for (var i = 0; i < pending.Count; i++)
        {
            var item = pending[i];
            var result = response.Records[i];
            var delay = time.GetElapsedTime(item.WaitingSince, now);
            if (result.Succeeded)
            {
                storedUsers += item.UserRecordCount;
                storedBytes += item.UserDataBytes;
                item.Attempts.Add(new Attempt(delay, elapsed, null, null));
                await _stored.CompleteAsync(item, result.ShardId!, result.SequenceNumber!, state.Stored, cancellationToken).ConfigureAwait(false);
                item.ReleaseData();
                _pipeline.OnKinesisRecordDone(item.PredictedShardId);
                continue;
            }

            var code = result.ErrorCode ?? "UnknownError";
            firstError ??= code;
            failedUsers += item.UserRecordCount;
            item.Attempts.Add(new Attempt(delay, elapsed, code, result.ErrorMessage));
            _pipeline.Metrics.EntryFailed(_pipeline.StreamName, item.PredictedShardId, code);
            var throttled = AwsErrorCodes.IsThrottling(code, System.Net.HttpStatusCode.OK);
            if (AwsErrorCodes.IsRetryable(code, System.Net.HttpStatusCode.OK) && !(throttled && _pipeline.Options.FailIfThrottled))
            {
                MarkWaiting(item);
                retryable.Add(item);
            }
            else
            {
                FailItem(item, code, result.ErrorMessage ?? code);
                _pipeline.OnKinesisRecordDone(item.PredictedShardId);
            }
        }

        Report(pending, storedUsers, storedBytes, failedUsers, null);
        if (retryable.Count > 0)
        {
            ProducerLog.PartialFailure(_pipeline.Logger, _pipeline.StreamName, state.AttemptNumber, retryable.Count, pending.Count, firstError);
        }

        state.Pending = retryable;
        return retryable.Count > 0 ? Backoff(state) : BatchProgress.Done;
    }

    /// <summary>The records wait out their backoff without holding a request slot; the next attempt asks for one.</summary>
    private BatchProgress Backoff(BatchState state)
    {
        state.HoldsSlot = false;
        _pipeline.OnBatchDone();
        return BatchProgress.Retry;
    }

    /// <summary>
    /// Encrypts the records not yet encrypted (a data key from the stream's encryptor: KMS only when one is due).
    /// When KMS fails, nothing is sent: every record gets the failed attempt and waits for the next one, as after a
    /// throttled request, until it succeeds or the records expire at RecordTtl with KMS's error as the reason.
    /// </summary>
    private async ValueTask<bool> TryEncryptAsync(RecordEncryptor encryptor, List<KinesisRecordItem> pending, long now, CancellationToken cancellationToken)
    {
        try
        {
            foreach (var item in pending)
            {
                if (item.IsEncrypted)
                {
                    continue;
                }

                var destination = AggregateBuffers.Rent(encryptor.MaxEncryptedLength(item.Data.Length));
                try
                {
                    var length = await encryptor.EncryptAsync(item.Data, item.IsEnvelope, destination, cancellationToken).ConfigureAwait(false);
                    item.SetEncrypted(destination, length);
                }
                catch
                {
                    AggregateBuffers.Return(destination);
                    throw;
                }
            }

            return true;
        }
        catch (AwsServiceException ex)
        {
            var time = _pipeline.Time;
            var duration = time.GetElapsedTime(now);
            var code = ex.ErrorCode ?? "KmsUnavailable";
            foreach (var item in pending)
            {
                item.Attempts.Add(new Attempt(time.GetElapsedTime(item.WaitingSince, now), duration, code, ex.Message));
                MarkWaiting(item);
            }

            ProducerLog.EncryptionFailed(_pipeline.Logger, _pipeline.StreamName, pending.Count, ex.Message);
            _pipeline.Metrics.RequestFailed(_pipeline.StreamName, code, pending.Count, duration);
            return false;
        }
    }

    private void Report(List<KinesisRecordItem> request, int storedUsers, long storedBytes, int failedUsers, string? requestError)
    {
        if (_pipeline.Options.OnPutRecordsRequest is not { } report)
        {
            return;
        }

        var users = 0;
        foreach (var item in request)
        {
            users += item.UserRecordCount;
        }

        try
        {
            report(new PutRecordsRequestOutcome(_pipeline.StreamName, users, storedUsers, storedBytes, failedUsers, requestError));
        }
        catch (Exception ex)
        {
            ProducerLog.CallbackFailed(_pipeline.Logger, ex);
        }
    }

    private bool ExpireIfDue(KinesisRecordItem item, long now)
    {
        if (item.Deadline > now)
        {
            return false;
        }

        var last = item.Attempts.Count > 0 ? item.Attempts[^1] : null;
        var because = last is null ? "" : $"; last attempt failed with {last.ErrorCode}: {last.ErrorMessage}";
        FailItem(item, RecordFailure.Expired, $"RecordTtl ({_pipeline.Options.RecordTtl.TotalSeconds:0.###} s) passed after {item.Attempts.Count} attempt(s){because}");
        _pipeline.OnKinesisRecordDone(item.PredictedShardId);
        return true;
    }

    private void MarkWaiting(KinesisRecordItem item) => item.WaitingSince = _pipeline.Time.GetTimestamp();

    // A failure hands each record's data back to its caller (RecordFailure.Data).
    private static void FailItem(KinesisRecordItem item, string code, string message) => item.FailRecords(code, message);

    private sealed class BatchState
    {
        public BatchState(BatchSender sender, List<KinesisRecordItem> pending)
        {
            Sender = sender;
            Pending = pending;
        }

        public BatchSender Sender { get; }

        public List<KinesisRecordItem> Pending { get; set; }

        public int AttemptNumber { get; set; }

        /// <summary>The records the current attempt charged to their shards' rate limiters; released when it is over.</summary>
        public KinesisRecordItem[]? Charged { get; set; }

        /// <summary>Whether the batch holds one of the MaxConnections request slots: sent with one, given back while backing off.</summary>
        public bool HoldsSlot { get; set; } = true;

        public List<UserRecord> Stored { get; } = [];
    }
}

/// <summary>What one attempt left to do: <see cref="Retry"/> makes Polly back off and call again.</summary>
internal enum BatchProgress
{
    Done,
    Retry,
}
