using System.Buffers;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Kinesis.Clients.Agent.Processing;
using Kinesis.Clients.Agent.Tailing;
using Kinesis.Clients.Aggregation;
using Kinesis.Clients.Producer;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Agent.Shipping;

/// <summary>
/// Ships one flow's records through the shared <see cref="KinesisProducer"/>: data processing, partition
/// key, then the producer, whose buffer bound is the agent's memory bound (a full buffer makes
/// <see cref="WriteAsync"/> wait, which pauses tailing). Consecutive records of a file that share a partition
/// key go to the producer as one run (<see cref="KinesisProducer.EnqueueRunAsync"/>): one aggregate entry
/// group, one acknowledgement, instead of a buffered object and an outcome per line. Each acknowledgement
/// reaches its file's in-order tracker; a run or record the producer gives up on is sent again after a pause,
/// so nothing is lost and the file's checkpoint never passes it.
/// </summary>
internal sealed class FlowSink : IFlowSink
{
    // A token carries the first ticket's low 32 bits (the tracker resolves them) and, below them, either a lone
    // record's shipped bytes (31 bits: any record size the agent allows) or, with bit 31 set, a run's record count
    // less one (11 bits: runs stop at 2,048 records) and its bytes (20 bits: runs stay within one aggregate, which
    // the sink keeps under 1 MiB).
    private const long RunFlag = 1L << 31;
    private const int CountShift = 20;
    private const long RunLengthMask = (1L << CountShift) - 1;
    private const long LoneLengthMask = RunFlag - 1;
    private const int CountBits = 11;

    /// <summary>The most records in one run, as the token carries them.</summary>
    public const int MaxRunRecords = 1 << CountBits;

    /// <summary>The most bytes in one run, as the token carries them.</summary>
    public const int MaxRunBytes = 1 << CountShift;

    private readonly KinesisProducer _producer;
    private readonly ProcessingChain? _chain;
    private readonly PartitionKeySelector _keys;
    private readonly ConditionalWeakTable<ITailedFile, FileOutcomes> _outcomes = [];
    private readonly ConcurrentBag<Run> _runs = [];
    private readonly FailedRecordResender _resender;
    private readonly int _maxRecordBytes;
    private readonly int _maxRunRecords;
    private readonly int _maxRunSize;

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
        var options = producer.Options;
        _maxRunRecords = options.AggregationEnabled ? (int)Math.Min(MaxRunRecords, options.AggregationMaxCount) : 1;
        _maxRunSize = Math.Min(options.AggregationMaxSize, MaxRunBytes - 1);
        _resender = new FailedRecordResender(this, timeProvider, logger);
    }

    public string StreamName { get; }

    public StreamCounters Counters { get; }

    public KinesisProducer Producer => _producer;

    public async ValueTask WriteAsync(FramedRecords records, ITailedFile file, long firstTicket, CancellationToken cancellationToken)
    {
        var outcomes = _outcomes.TryGetValue(file, out var known) ? known : _outcomes.GetValue(file, f => new FileOutcomes(f, this));
        var run = _runs.TryTake(out var spare) ? spare : new Run(_maxRunSize, _maxRunRecords);
        long parsedBytes = 0;
        try
        {
            for (var k = 0; k < records.Count; k++)
            {
                var record = records[k];
                parsedBytes += record.Length;
                if (!TryProcess(record, run.Scratch, out var payload))
                {
                    // Filtered out (LOGTOJSON without a match): nothing to send, but the checkpoint must pass it, and
                    // a run's tickets are consecutive, so the run so far goes first.
                    if (run.Count > 0)
                    {
                        await ShipAsync(run, outcomes, cancellationToken).ConfigureAwait(false);
                    }

                    Counters.Skipped();
                    file.Acknowledge(firstTicket + k);
                    continue;
                }

                var entry = AggregateBuilder.RunRecordSize(payload.Length);
                string key;
                if (_keys.KeyPerRun)
                {
                    if (run.Count > 0 && (run.Count == _maxRunRecords || run.EncodedSize + entry > _maxRunSize))
                    {
                        await ShipAsync(run, outcomes, cancellationToken).ConfigureAwait(false);
                    }

                    // The file's aggregate is topped up while the record fits in it; a full one gets a fresh key.
                    var continues = run.Count > 0 || (outcomes.RunKey is not null && outcomes.RunAggregateSize + entry <= _maxRunSize);
                    key = run.Count > 0 ? run.Key! : continues ? outcomes.RunKey! : _keys.Select(payload.Span, file);
                    if (run.Count == 0)
                    {
                        run.Start(key, firstTicket + k, continues ? outcomes.RunAggregateSize : AggregateBuilder.SizeOfRun(key, null, []));
                    }
                }
                else
                {
                    key = _keys.Select(payload.Span, file);
                    if (run.Count > 0 && (!string.Equals(key, run.Key, StringComparison.Ordinal)
                        || run.Count == _maxRunRecords || run.EncodedSize + entry > _maxRunSize))
                    {
                        await ShipAsync(run, outcomes, cancellationToken).ConfigureAwait(false);
                    }

                    if (run.Count == 0)
                    {
                        run.Start(key, firstTicket + k, AggregateBuilder.SizeOfRun(key, null, []));
                    }
                }

                if (run.Count == 0)
                {
                    if (run.EncodedSize + entry > _maxRunSize || _maxRunRecords == 1)
                    {
                        // Too big to share an aggregate (or aggregation is off): it goes on its own, as it is.
                        await SendAloneAsync(payload, key, outcomes, run.FirstTicket, cancellationToken).ConfigureAwait(false);
                        run.Clear();
                        outcomes.RunKey = null;
                        continue;
                    }
                }

                run.Add(payload.Span, entry);
            }

            if (run.Count > 0)
            {
                await ShipAsync(run, outcomes, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            Counters.Parsed(records.Count, parsedBytes);
            run.Clear();
            _runs.Add(run);
        }
    }

    public ValueTask DisposeAsync() => _resender.DisposeAsync();

    /// <summary>
    /// Sends the stream's buffered records without waiting for the linger: called when a reader (or this sink)
    /// must wait for room, so that what it waits for is on its way. Once per wait, not per record.
    /// </summary>
    public void Hurry()
    {
        var flush = _producer.FlushAsync(StreamName);
        if (!flush.IsCompleted)
        {
            // Nobody waits for the flush; its records report through their observers as always.
            flush.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    internal static long TicketOf(long token) => (long)((ulong)token >> 32);

    internal static int CountOf(long token) => (token & RunFlag) == 0 ? 1 : (int)((token >> CountShift) & (MaxRunRecords - 1)) + 1;

    internal static int LengthOf(long token) => (int)(token & ((token & RunFlag) == 0 ? LoneLengthMask : RunLengthMask));

    internal static long TokenOf(long firstTicket, int count, int length)
    {
        if (count == 1)
        {
            return (firstTicket << 32) | (uint)length;
        }

        if (count > MaxRunRecords || length >= MaxRunBytes)
        {
            throw new ArgumentOutOfRangeException(nameof(count), $"A run of {count} records and {length} bytes does not fit a token.");
        }

        return (firstTicket << 32) | RunFlag | ((long)(count - 1) << CountShift) | (long)length;
    }

    /// <summary>Sends a run or record the producer gave up on once more, under the same token.</summary>
    public ValueTask ResendAsync(RecordFailure failure, IPutObserver outcomes, long token, CancellationToken cancellationToken) =>
        failure.RecordLengths is { } lengths
            ? _producer.EnqueueRunAsync(StreamName, failure.PartitionKey, failure.Data, lengths as int[] ?? [.. lengths], outcomes, token, cancellationToken)
            : _producer.EnqueueAsync(StreamName, failure.PartitionKey, failure.Data, failure.ExplicitHashKey, outcomes, token, cancellationToken);

    internal void OnFailed(IPutObserver outcomes, long token, RecordFailure failure)
    {
        Counters.SendError(failure.RecordCount);
        _resender.Enqueue(outcomes, token, failure);
    }

    internal void OnSucceeded() => _resender.OnSuccess();

    /// <summary>
    /// The record after the flow's data processing (into <paramref name="scratch"/>), or as read; false when an
    /// option filtered it out.
    /// </summary>
    private bool TryProcess(ReadOnlyMemory<byte> record, ArrayBufferWriter<byte> scratch, out ReadOnlyMemory<byte> payload) =>
        TryProcess(_chain, Counters, _maxRecordBytes, record, scratch, out payload);

    /// <summary>
    /// A record after a flow's data processing (into <paramref name="scratch"/>), or as read when there is none or it
    /// fails; false when an option filtered it out: shared by the Kinesis and Firehose sinks.
    /// </summary>
    internal static bool TryProcess(
        ProcessingChain? chain, StreamCounters counters, int maxRecordBytes, ReadOnlyMemory<byte> record, ArrayBufferWriter<byte> scratch, out ReadOnlyMemory<byte> payload)
    {
        payload = record;
        if (chain is null)
        {
            return true;
        }

        scratch.ResetWrittenCount();
        switch (chain.Process(record.Span, scratch))
        {
            case ProcessingOutcome.Converted when scratch.WrittenCount <= maxRecordBytes:
                payload = scratch.WrittenMemory;
                return true;
            case ProcessingOutcome.Converted:
            case ProcessingOutcome.Failed:
                // A conversion that fails (or outgrows the record limit) ships the line as it was read.
                counters.ProcessingError();
                return true;
            case ProcessingOutcome.Skipped:
                return false;
            default:
                return true;
        }
    }

    private ValueTask ShipAsync(Run run, FileOutcomes outcomes, CancellationToken cancellationToken)
    {
        outcomes.RunKey = run.Key;
        outcomes.RunAggregateSize = run.EncodedSize;
        var token = TokenOf(run.FirstTicket, run.Count, run.DataLength);
        var pending = run.Count == 1
            ? _producer.EnqueueAsync(StreamName, run.Key!, run.Data, null, outcomes, token, cancellationToken)
            : _producer.EnqueueRunAsync(StreamName, run.Key!, run.Data, run.Lengths, outcomes, token, cancellationToken);
        if (pending.IsCompletedSuccessfully)
        {
            // The producer copied the run: its buffer can take the next one.
            run.Clear();
            return ValueTask.CompletedTask;
        }

        // The producer's buffer is full: the room comes back as what it holds is acknowledged, so send it now.
        Hurry();
        return ClearAfterAsync(pending, run);
    }

    private ValueTask SendAloneAsync(ReadOnlyMemory<byte> payload, string key, FileOutcomes outcomes, long ticket, CancellationToken cancellationToken) =>
        _producer.EnqueueAsync(StreamName, key, payload, null, outcomes, TokenOf(ticket, 1, payload.Length), cancellationToken);

    private static async ValueTask ClearAfterAsync(ValueTask pending, Run run)
    {
        await pending.ConfigureAwait(false);
        run.Clear();
    }

    /// <summary>
    /// Consecutive records of one file with one key, packed back to back up to what one aggregate holds; reused
    /// from call to call (a few per flow, one per file being written at the moment).
    /// </summary>
    private sealed class Run(int maxSize, int maxRecords)
    {
        private readonly byte[] _data = new byte[maxSize];
        private readonly int[] _lengths = new int[maxRecords];

        public ArrayBufferWriter<byte> Scratch { get; } = new(4096);

        public string? Key { get; private set; }

        public long FirstTicket { get; private set; }

        public int Count { get; private set; }

        public int DataLength { get; private set; }

        /// <summary>
        /// The size of the aggregate the run goes into once it is added: at most <see cref="AggregateBuilder.SizeOfRun"/>
        /// of the run alone, more when it tops up the aggregate of the file's previous run.
        /// </summary>
        public long EncodedSize { get; private set; }

        public ReadOnlyMemory<byte> Data => _data.AsMemory(0, DataLength);

        public ReadOnlySpan<int> Lengths => _lengths.AsSpan(0, Count);

        public void Start(string key, long firstTicket, long aggregateSize)
        {
            Key = key;
            FirstTicket = firstTicket;
            EncodedSize = aggregateSize;
        }

        public void Add(ReadOnlySpan<byte> record, long entrySize)
        {
            record.CopyTo(_data.AsSpan(DataLength));
            _lengths[Count++] = record.Length;
            DataLength += record.Length;
            EncodedSize += entrySize;
        }

        public void Clear()
        {
            Key = null;
            Count = 0;
            DataLength = 0;
            EncodedSize = 0;
        }
    }
}
