using System.Runtime.CompilerServices;
using System.Text;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// A stream without an engine: its shard list, and per shard the batches a reader would return, in order. A shard
/// whose script does not end at SHARD_END stays open (its reader waits for more until stopped). A removed shard
/// (aged out of retention, or deleted) is no longer listed and its readers fail with ResourceNotFoundException, as
/// GetShardIterator and GetRecords do.
/// </summary>
internal sealed class ScriptedShards
{
    private readonly Dictionary<string, List<ShardBatch>> _batches = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TaskCompletionSource> _removed = new(StringComparer.Ordinal);
    private readonly List<Shard> _shards = [];

    public List<string> Opened { get; } = [];

    public ScriptedShards Shard(string shardId, HashKeyRange range, string? parent = null, bool closed = false)
    {
        lock (_shards)
        {
            _shards.Add(new Shard(shardId, parent, null, range, "1", closed ? "9" : null));
            _batches[shardId] = [];
            _removed[shardId] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        return this;
    }

    /// <summary>The shard leaves the stream: unlisted from now on, and its readers, open or new, fail as Kinesis answers.</summary>
    public ScriptedShards Remove(string shardId)
    {
        lock (_shards)
        {
            _shards.RemoveAll(s => s.ShardId == shardId);
            if (!_removed.TryGetValue(shardId, out var removed))
            {
                // A shard that aged out before the test began: never listed, never readable.
                _removed[shardId] = removed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _batches[shardId] = [];
            }

            removed.TrySetResult();
        }

        return this;
    }

    /// <summary>One batch of plain records with data <c>{shardId}/{i}</c>; sequence numbers grow per shard.</summary>
    public ScriptedShards Records(string shardId, int count)
    {
        var batches = _batches[shardId];
        var first = batches.Sum(b => b.Records.Count);
        var records = Enumerable.Range(first, count)
            .Select(i => new ConsumerRecord((1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture), 0, "k" + i, null,
                DateTimeOffset.UnixEpoch, Encoding.UTF8.GetBytes($"{shardId}/{i}"), isAggregated: false))
            .ToList();
        batches.Add(new ShardBatch(records, 0, false, [], StartingPosition.AfterRecord(records[^1].SequenceNumber)));
        return this;
    }

    public ScriptedShards End(string shardId, params ChildShard[] children)
    {
        _batches[shardId].Add(new ShardBatch([], 0, true, children, StartingPosition.TrimHorizon));
        return this;
    }

    public Task<IReadOnlyList<Shard>> ListAsync(CancellationToken cancellationToken)
    {
        lock (_shards)
        {
            return Task.FromResult<IReadOnlyList<Shard>>(_shards.ToList());
        }
    }

    public IShardRecordSource Open(string shardId, HashKeyRange? range, StartingPosition start)
    {
        lock (Opened)
        {
            Opened.Add(shardId);
        }

        lock (_shards)
        {
            return new Source(shardId, _batches[shardId], _removed[shardId].Task);
        }
    }

    public int OpenedCount(string shardId)
    {
        lock (Opened)
        {
            return Opened.Count(s => s == shardId);
        }
    }

    private sealed class Source(string shardId, List<ShardBatch> batches, Task removed) : IShardRecordSource
    {
        public async IAsyncEnumerable<ShardBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var batch in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                ThrowIfRemoved();
                yield return batch;
                if (batch.IsShardEnd)
                {
                    yield break;
                }
            }

            // An open shard with nothing more to read: a reader would keep polling until stopped, or until the
            // shard is gone.
            await removed.WaitAsync(cancellationToken);
            ThrowIfRemoved();
        }

        private void ThrowIfRemoved()
        {
            if (removed.IsCompleted)
            {
                throw new ResourceNotFoundException($"Shard {shardId} in stream stream under account 000000000000 does not exist");
            }
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
