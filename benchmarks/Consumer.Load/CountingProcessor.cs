using System.Buffers.Binary;
using System.Collections.Concurrent;

namespace Kinesis.Clients.Consumer.Load;

/// <summary>Counts the records its processors see and when each shard was last initialised or given a batch.</summary>
internal sealed class CountingProcessorFactory : IRecordProcessorFactory
{
    private readonly int[] _seen;
    private readonly ConcurrentDictionary<(string, long), byte> _positions = new();
    private long _records;
    private long _distinct;

    /// <param name="expected">User records carry their index in their first 4 bytes, below this.</param>
    public CountingProcessorFactory(int expected = 0) => _seen = new int[expected];

    public long Records => Interlocked.Read(ref _records);

    /// <summary>Records seen at least once, by the index they carry: redelivery and duplicates in the stream do not count.</summary>
    public long Distinct => Interlocked.Read(ref _distinct);

    /// <summary>Shards whose processor is initialised and not yet shut down or lost.</summary>
    public ConcurrentDictionary<string, DateTimeOffset> ActiveShards { get; } = new(StringComparer.Ordinal);

    /// <summary>Distinct (sequence number, sub-sequence number) pairs: below <see cref="Records"/> only if a position came twice.</summary>
    public long DistinctPositions => _positions.Count;

    public IRecordProcessor CreateProcessor(string shardId) => new Processor(this);

    private sealed class Processor(CountingProcessorFactory owner) : IRecordProcessor
    {
        private string _shardId = "";

        public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken)
        {
            _shardId = input.ShardId;
            owner.ActiveShards[_shardId] = DateTimeOffset.UtcNow;
            return ValueTask.CompletedTask;
        }

        public ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
        {
            Interlocked.Add(ref owner._records, input.Records.Count);
            var seen = owner._seen;
            foreach (var record in input.Records)
            {
                if (seen.Length > 0)
                {
                    owner._positions.TryAdd((record.SequenceNumber, record.SubSequenceNumber), 0);
                }

                if (record.Data.Length >= 4
                    && BinaryPrimitives.ReadInt32LittleEndian(record.Data.Span) is var index and >= 0
                    && index < seen.Length
                    && Interlocked.Exchange(ref seen[index], 1) == 0)
                {
                    Interlocked.Increment(ref owner._distinct);
                }
            }

            owner.ActiveShards[_shardId] = DateTimeOffset.UtcNow;
            return ValueTask.CompletedTask;
        }

        public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken) => Gone();

        public async ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken)
        {
            await input.Checkpointer.CheckpointAsync(cancellationToken);
            await Gone();
        }

        public ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken) => Gone();

        private ValueTask Gone()
        {
            owner.ActiveShards.TryRemove(_shardId, out _);
            return ValueTask.CompletedTask;
        }
    }
}
