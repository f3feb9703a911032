using System.Runtime.CompilerServices;
using System.Text;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// A stream without an engine: its shard list, and per shard the batches a reader would return, in order. A shard
/// whose script does not end at SHARD_END stays open (its reader waits for more until stopped).
/// </summary>
internal sealed class ScriptedShards
{
    private readonly Dictionary<string, List<ShardBatch>> _batches = new(StringComparer.Ordinal);
    private readonly List<Shard> _shards = [];

    public List<string> Opened { get; } = [];

    public ScriptedShards Shard(string shardId, HashKeyRange range, string? parent = null, bool closed = false)
    {
        _shards.Add(new Shard(shardId, parent, null, range, "1", closed ? "9" : null));
        _batches[shardId] = [];
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

    public Task<IReadOnlyList<Shard>> ListAsync(CancellationToken cancellationToken) => Task.FromResult<IReadOnlyList<Shard>>(_shards.ToList());

    public IShardRecordSource Open(string shardId, HashKeyRange? range, StartingPosition start)
    {
        lock (Opened)
        {
            Opened.Add(shardId);
        }

        return new Source(_batches[shardId]);
    }

    private sealed class Source(List<ShardBatch> batches) : IShardRecordSource
    {
        public async IAsyncEnumerable<ShardBatch> ReadAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
        {
            foreach (var batch in batches)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return batch;
                if (batch.IsShardEnd)
                {
                    yield break;
                }
            }

            // An open shard with nothing more to read: a reader would keep polling until stopped.
            await Task.Delay(Timeout.Infinite, cancellationToken);
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
