using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Kinesis.Clients.Agent.Processing;
using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Producer;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Shipping;

/// <summary>
/// Ships one flow's records through the shared <see cref="KinesisProducer"/>: data processing, partition
/// key, then the producer, whose buffer bound is the agent's memory bound (a full buffer makes
/// <see cref="WriteAsync"/> wait, which pauses tailing). Each record's acknowledgement reaches its file's
/// in-order tracker; a record the producer gives up on is sent again after a pause, so nothing is lost and
/// the file's checkpoint never passes it.
/// </summary>
internal sealed class FlowSink : IRecordSink, IAsyncDisposable
{
    // A record's token carries its ticket and its shipped length (for BytesSent): 21 bits hold any size up to 2 MiB.
    private const int LengthBits = 21;
    private const long LengthMask = (1L << LengthBits) - 1;

    private readonly KinesisProducer _producer;
    private readonly ProcessingChain? _chain;
    private readonly PartitionKeySelector _keys;
    private readonly ConditionalWeakTable<ITailedFile, FileOutcomes> _outcomes = [];
    private readonly ConcurrentBag<ArrayBufferWriter<byte>> _writers = [];
    private readonly FailedRecordResender _resender;
    private readonly int _maxRecordBytes;

    public FlowSink(
        KinesisProducer producer,
        string streamName,
        ProcessingChain? chain,
        PartitionKeySelector keys,
        StreamCounters counters,
        int maxRecordBytes,
        TimeProvider timeProvider,
        ILogger logger)
    {
        _producer = producer;
        StreamName = streamName;
        _chain = chain is { IsEmpty: false } ? chain : null;
        _keys = keys;
        Counters = counters;
        _maxRecordBytes = maxRecordBytes;
        _resender = new FailedRecordResender(this, timeProvider, logger);
    }

    public string StreamName { get; }

    public StreamCounters Counters { get; }

    public KinesisProducer Producer => _producer;

    public ValueTask WriteAsync(ReadOnlyMemory<byte> record, ITailedFile file, long ticket, CancellationToken cancellationToken)
    {
        Counters.Parsed(record.Length);
        var payload = record;
        ArrayBufferWriter<byte>? writer = null;
        if (_chain is not null)
        {
            writer = RentWriter();
            switch (_chain.Process(record.Span, writer))
            {
                case ProcessingOutcome.Converted when writer.WrittenCount <= _maxRecordBytes:
                    payload = writer.WrittenMemory;
                    break;
                case ProcessingOutcome.Converted:
                case ProcessingOutcome.Failed:
                    // A conversion that fails (or outgrows the record limit) ships the line as it was read.
                    Counters.ProcessingError();
                    break;
            }
        }

        var key = _keys.Select(payload.Span, file);
        var outcomes = _outcomes.TryGetValue(file, out var known) ? known : _outcomes.GetValue(file, f => new FileOutcomes(f, this));
        var token = (ticket << LengthBits) | (long)payload.Length;
        ValueTask pending;
        try
        {
            pending = _producer.EnqueueAsync(StreamName, key, payload, null, outcomes, token, cancellationToken);
        }
        catch
        {
            ReturnWriter(writer);
            throw;
        }

        if (pending.IsCompletedSuccessfully)
        {
            // The producer copied the data: the processing buffer can serve the next record.
            ReturnWriter(writer);
            return ValueTask.CompletedTask;
        }

        return AwaitThenReturnAsync(pending, writer);
    }

    public ValueTask DisposeAsync() => _resender.DisposeAsync();

    internal static long TicketOf(long token) => token >> LengthBits;

    internal static int LengthOf(long token) => (int)(token & LengthMask);

    /// <summary>Sends a record the producer gave up on once more, under the same ticket.</summary>
    internal ValueTask ResendAsync(RecordFailure failure, FileOutcomes outcomes, long token, CancellationToken cancellationToken) =>
        _producer.EnqueueAsync(StreamName, failure.PartitionKey, failure.Data, failure.ExplicitHashKey, outcomes, token, cancellationToken);

    internal void OnFailed(FileOutcomes outcomes, long token, RecordFailure failure)
    {
        Counters.SendError();
        _resender.Enqueue(outcomes, token, failure);
    }

    internal void OnSucceeded() => _resender.OnSuccess();

    private async ValueTask AwaitThenReturnAsync(ValueTask pending, ArrayBufferWriter<byte>? writer)
    {
        try
        {
            await pending.ConfigureAwait(false);
        }
        finally
        {
            ReturnWriter(writer);
        }
    }

    private ArrayBufferWriter<byte> RentWriter() => _writers.TryTake(out var writer) ? writer : new ArrayBufferWriter<byte>(4096);

    private void ReturnWriter(ArrayBufferWriter<byte>? writer)
    {
        // Oversized buffers (a rare huge record) are let go rather than kept for ever.
        if (writer is not null && writer.Capacity <= 256 * 1024)
        {
            writer.ResetWrittenCount();
            _writers.Add(writer);
        }
    }
}
