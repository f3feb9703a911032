using System.Buffers;
using System.Runtime.CompilerServices;
using Kinesis.Clients.Agent.Processing;
using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Producer;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Shipping;

/// <summary>
/// Ships one Firehose flow's records through the shared <see cref="FirehoseProducer"/>: data processing, then one
/// producer record per record (the producer joins them when the flow sets <c>aggregatedRecordSizeBytes</c>). As for
/// Kinesis flows, a full producer buffer makes <see cref="WriteAsync"/> wait, each acknowledgement reaches its file's
/// in-order tracker, and a record the producer gives up on is sent again after a pause.
/// </summary>
internal sealed class FirehoseFlowSink : IFlowSink
{
    private readonly FirehoseProducer _producer;
    private readonly ProcessingChain? _chain;
    private readonly int _maxRecordBytes;
    private readonly ConditionalWeakTable<ITailedFile, FirehoseFileOutcomes> _outcomes = [];
    private readonly FailedRecordResender _resender;

    public FirehoseFlowSink(
        FirehoseProducer producer, string deliveryStreamName, ProcessingChain? chain, StreamCounters counters, int maxRecordBytes, TimeProvider timeProvider, ILogger logger)
    {
        _producer = producer;
        StreamName = deliveryStreamName;
        _chain = chain is { IsEmpty: false } ? chain : null;
        Counters = counters;
        _maxRecordBytes = maxRecordBytes;
        _resender = new FailedRecordResender(this, timeProvider, logger);
    }

    public string StreamName { get; }

    public StreamCounters Counters { get; }

    public async ValueTask WriteAsync(FramedRecords records, ITailedFile file, long firstTicket, CancellationToken cancellationToken)
    {
        var outcomes = _outcomes.GetValue(file, f => new FirehoseFileOutcomes(f, this));
        long parsedBytes = 0;
        try
        {
            // Files are read concurrently; the producer copies each record before EnqueueAsync returns, so the
            // scratch buffer is free again once a record is handed over.
            var scratch = _chain is null ? null : new ArrayBufferWriter<byte>(256);
            for (var k = 0; k < records.Count; k++)
            {
                var record = records[k];
                parsedBytes += record.Length;
                var payload = record;
                if (scratch is not null && !FlowSink.TryProcess(_chain, Counters, _maxRecordBytes, record, scratch, out payload))
                {
                    // Filtered out (LOGTOJSON without a match): nothing to send, but the checkpoint must pass it.
                    Counters.Skipped();
                    file.Acknowledge(firstTicket + k);
                    continue;
                }

                var token = FlowSink.TokenOf(firstTicket + k, 1, payload.Length);
                var pending = _producer.EnqueueAsync(StreamName, payload, outcomes, token, cancellationToken);
                if (!pending.IsCompletedSuccessfully)
                {
                    // The buffer is full: what it holds must go now for room to come back.
                    Hurry();
                    await pending.ConfigureAwait(false);
                }
            }
        }
        finally
        {
            Counters.Parsed(records.Count, parsedBytes);
        }
    }

    public void Hurry()
    {
        var flush = _producer.FlushAsync(StreamName);
        if (!flush.IsCompleted)
        {
            flush.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    public ValueTask ResendAsync(RecordFailure failure, IPutObserver outcomes, long token, CancellationToken cancellationToken) =>
        _producer.EnqueueAsync(StreamName, failure.Data, outcomes, token, cancellationToken);

    public ValueTask DisposeAsync() => _resender.DisposeAsync();

    internal void OnFailed(IPutObserver outcomes, long token, RecordFailure failure)
    {
        Counters.SendError(failure.RecordCount);
        _resender.Enqueue(outcomes, token, failure);
    }

    internal void OnSucceeded() => _resender.OnSuccess();
}
