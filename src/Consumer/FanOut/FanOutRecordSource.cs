using System.Runtime.CompilerServices;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.FanOut;

/// <summary>
/// One leased shard read through enhanced fan-out, as the worker's <see cref="IShardRecordSource"/>: events
/// become de-aggregated batches; a checkpoint inside an aggregate resumes at that record and skips the
/// sub-records already checkpointed, exactly as the polling reader does.
/// </summary>
internal sealed class FanOutRecordSource : IShardRecordSource
{
    private readonly FanOutShardReader _reader;
    private readonly HashKeyRange? _range;
    private readonly StartingPosition _start;
    private RecordPosition? _skipThrough;
    private int _enumerated;

    public FanOutRecordSource(FanOutSubscriber client, string consumerArn, string shardId, HashKeyRange? range, StartingPosition start, ILogger? logger)
    {
        _range = range;
        _start = start;
        SubscribePosition position;
        switch (start.Kind)
        {
            case StartingPositionKind.TrimHorizon:
                position = SubscribePosition.TrimHorizon;
                break;
            case StartingPositionKind.Latest:
                position = SubscribePosition.Latest;
                break;
            case StartingPositionKind.AtTimestamp:
                position = SubscribePosition.AtTimestamp(start.Timestamp!.Value);
                break;
            case StartingPositionKind.AfterCheckpoint:
                // A lease checkpoint cannot tell a finished record from a partly processed aggregate: re-read it.
                position = SubscribePosition.AtSequenceNumber(start.SequenceNumber!);
                _skipThrough = start.Checkpoint;
                break;
            default:
                position = SubscribePosition.AfterSequenceNumber(start.SequenceNumber!);
                break;
        }

        _reader = new FanOutShardReader(client, consumerArn, shardId, position, logger);
    }

    /// <summary>Where encrypted records get their data keys; <see langword="null"/> leaves them undecodable.</summary>
    public RecordDecryptionSource? Decryption { get; init; }

    public async IAsyncEnumerable<ShardBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (Interlocked.Exchange(ref _enumerated, 1) != 0)
        {
            throw new InvalidOperationException("A shard record source is read once.");
        }

        var next = _start;
        await foreach (var fanOutEvent in _reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            var records = new List<ConsumerRecord>(fanOutEvent.Records.Count);
            var decryptor = Decryption is null ? null : await Decryption.PrepareAsync(fanOutEvent.Records, cancellationToken).ConfigureAwait(false);
            var counts = RecordDeaggregation.AppendTo(fanOutEvent.Records, _range, _skipThrough, records, decryptor);
            if (fanOutEvent.Records.Count > 0)
            {
                _skipThrough = null;
                var last = fanOutEvent.Records[^1];
                next = StartingPosition.AfterRecord(last.SequenceNumber, counts.LastSubSequenceNumber);
            }

            yield return new ShardBatch(records, fanOutEvent.MillisBehindLatest, fanOutEvent.IsShardEnd, fanOutEvent.ChildShards, next, counts.OutOfRange, counts.Undecodable);
        }
    }

    public ValueTask DisposeAsync() => _reader.DisposeAsync();
}
