using Kinesis.Clients.Consumer.Positions;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Retrieval;

/// <summary>The read loop: pacing, retries, expired iterators and the hand-off to the consumer.</summary>
internal sealed partial class PollingShardReader
{
    // Never throws: the outcome reaches the consumer through the channel.
    private async Task RunAsync(CancellationToken cancellationToken)
    {
        RetrievalLog.ReaderStarted(_logger, _stream, _shardId, _position);
        try
        {
            while (true)
            {
                await _budget.WaitForRoomAsync(cancellationToken).ConfigureAwait(false);
                var page = await _retry.ExecuteAsync(
                    static (self, token) => self.ReadPageAsync(token),
                    this,
                    cancellationToken).ConfigureAwait(false);
                if (page is null)
                {
                    continue;
                }

                var decryptor = Decryption is null ? null : await Decryption.PrepareAsync(page.Records, cancellationToken).ConfigureAwait(false);
                var batch = ToBatch(page, decryptor, out var bytes);
                _budget.Add(batch.Records.Count, bytes);
                _batches.Writer.TryWrite(new Prefetched(batch, bytes));
                if (batch.IsShardEnd)
                {
                    if (_logger.IsEnabled(LogLevel.Information))
                    {
                        var children = string.Join(", ", batch.ChildShards.Select(c => c.ShardId));
                        RetrievalLog.ShardEnded(_logger, _stream, _shardId, children);
                    }

                    break;
                }
            }

            _batches.Writer.TryComplete();
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _batches.Writer.TryComplete();
        }
        catch (Exception ex)
        {
            RetrievalLog.ReaderFailed(_logger, _stream, _shardId, _position, ex.Message, ex);
            _batches.Writer.TryComplete(ex);
        }
    }

    /// <returns>The page, or <see langword="null"/> when the iterator expired and the next attempt takes a new one.</returns>
    private async ValueTask<GetRecordsResponse?> ReadPageAsync(CancellationToken cancellationToken)
    {
        var metrics = Metrics;
        if (_iterator is null)
        {
            var askedAt = _time.GetTimestamp();
            var answered = false;
            try
            {
                _iterator = await _client.GetShardIteratorAsync(_position.ToIteratorRequest(_stream, _shardId), cancellationToken).ConfigureAwait(false);
                answered = true;
            }
            finally
            {
                metrics?.GotIterator(answered, _time.GetElapsedTime(askedAt));
            }
        }

        if (_called)
        {
            var wait = ReadPacing.Remaining(_gap, _time.GetElapsedTime(_lastCallStart));
            if (wait > TimeSpan.Zero)
            {
                await Task.Delay(wait, _time, cancellationToken).ConfigureAwait(false);
            }
        }

        _called = true;
        _lastCallStart = _time.GetTimestamp();
        _gap = ReadPacing.GapAfter(0, null, succeeded: false, _options);
        Interlocked.Increment(ref _getRecordsCalls);
        var read = false;
        try
        {
            var page = await _client.GetRecordsAsync(_iterator, _options.MaxRecords, cancellationToken).ConfigureAwait(false);
            read = true;
            _gap = ReadPacing.GapAfter(page.Records.Count, page.MillisBehindLatest, succeeded: true, _options);
            _iterator = page.NextShardIterator;
            return page;
        }
        catch (ExpiredIteratorException)
        {
            Interlocked.Increment(ref _expiredIterators);
            metrics?.IteratorExpired();
            RetrievalLog.IteratorExpired(_logger, _stream, _shardId, _position);
            _iterator = null;
            return null;
        }
        finally
        {
            metrics?.GotRecords(read, _time.GetElapsedTime(_lastCallStart));
        }
    }

    private ShardBatch ToBatch(GetRecordsResponse page, Kinesis.Clients.Encryption.RecordDecryptor? decryptor, out long bytes)
    {
        var records = new List<ConsumerRecord>(page.Records.Count);
        var counts = RecordDeaggregation.AppendTo(page.Records, _hashKeyRange, _position.Checkpoint, records, decryptor);
        bytes = counts.DataBytes;
        if (page.Records.Count > 0)
        {
            _position = StartingPosition.AfterRecord(page.Records[^1].SequenceNumber, counts.LastSubSequenceNumber);
        }

        if (counts.OutOfRange > 0)
        {
            Interlocked.Add(ref _outOfRangeRecords, counts.OutOfRange);
            RetrievalLog.OutOfRange(_logger, _stream, _shardId, counts.OutOfRange);
        }

        if (counts.Undecodable > 0)
        {
            RetrievalLog.Undecodable(_logger, _stream, _shardId, counts.Undecodable);
        }

        return new ShardBatch(records, page.MillisBehindLatest, page.IsShardEnd, page.ChildShards, _position, counts.OutOfRange, counts.Undecodable);
    }

    private void OnRetry(Exception? exception, int attempt, TimeSpan delay)
    {
        var error = exception as AwsServiceException;
        if (error?.IsThrottling == true)
        {
            Interlocked.Increment(ref _throttledCalls);
            RetrievalLog.ReadThrottled(_logger, _stream, _shardId, error.ErrorCode, attempt, delay);
        }
        else
        {
            Interlocked.Increment(ref _failedCalls);
            RetrievalLog.ReadFailed(_logger, _stream, _shardId, error?.ErrorCode, attempt, delay, exception?.Message ?? "unknown");
        }
    }
}
