using Kinesis.Clients.Producer.Buffering;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Producer.Pipeline;

// The inbox's writing side: what callers post, and how what is left in it is failed once the loop is done.
internal sealed partial class StreamPipeline
{
    /// <summary>Why a record that reached a stopping producer, but not its loop, failed.</summary>
    public const string NotBufferedMessage = "The producer was disposed before the record could be buffered.";

    /// <returns><see langword="false"/> when the pipeline has stopped taking records.</returns>
    public bool Post(UserRecord record, HashKey hashKey) => _inbox.Writer.TryWrite(new InboxItem(record, hashKey));

    /// <summary>Whether a record nobody watches, of <paramref name="dataLength"/> bytes, goes in as an inbox entry (<see cref="PostEntry"/>).</summary>
    public bool TakesEntry(int dataLength) => _data is not null && dataLength <= InboxData.MaxEntryLength;

    /// <summary>
    /// Posts a record nobody watches as an inbox entry, its data copied into the inbox's chunks (see
    /// <see cref="TakesEntry"/>). When the pipeline has stopped taking records, the record is failed here.
    /// </summary>
    /// <returns>Whether it was posted.</returns>
    public bool PostEntry(string partitionKey, string? explicitHashKey, ReadOnlySpan<byte> data, int size, FlushEpoch epoch, HashKey hashKey)
    {
        var entry = _data!.Write(partitionKey, explicitHashKey, data, size, epoch);
        if (_inbox.Writer.TryWrite(new InboxItem(entry, hashKey)))
        {
            return true;
        }

        // The pipeline counts the records it takes in (UserRecordsReceived); this one never got there.
        Metrics.Received(StreamName, 1);
        var record = entry.ToRecord(_time.GetTimestamp());
        entry.Release();
        record.TryFail(RecordFailure.ProducerDisposed, NotBufferedMessage);
        return false;
    }

    /// <summary>
    /// Fails what a writer may have slipped into the inbox while the pipeline stopped, once it has stopped: the inbox
    /// takes writes without a lock, so one can land after the stop's last look.
    /// </summary>
    public void DrainAfterStop() =>
        _stopped.Task.ContinueWith(
            static (_, state) => ((StreamPipeline)state!).DrainInbox(RecordFailure.ProducerDisposed, NotBufferedMessage),
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);

    // The loop's reading is over (stopped or crashed): whoever drains holds the lock, so the inbox keeps one reader.
    private void DrainInbox(string code, string message)
    {
        lock (_drain)
        {
            var received = 0L;
            while (_inbox.Reader.TryRead(out var inbox))
            {
                switch (inbox.Message)
                {
                    case InboxChunk:
                        received++;
                        var taken = inbox.Entry.ToRecord(_time.GetTimestamp());
                        inbox.Entry.Release();
                        taken.TryFail(code, message);
                        break;
                    case UserRecord record:
                        received += record.Count;
                        record.TryFail(code, message);
                        break;
                    case RerouteRecords reroute:
                        reroute.Records.ForEach(r => r.TryFail(code, message));
                        break;
                }
            }

            if (received > 0)
            {
                Metrics.Received(StreamName, received);
            }
        }
    }
}
