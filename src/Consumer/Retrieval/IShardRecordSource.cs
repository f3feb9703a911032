using Kinesis.Clients.Consumer.Positions;

namespace Kinesis.Clients.Consumer.Retrieval;

/// <summary>
/// The records of one shard, from a starting position on, as the consumer takes them from either retrieval
/// mode: polling (<see cref="PollingShardReader"/>) or enhanced fan-out.
/// </summary>
/// <remarks>
/// <para>
/// A source is made for one shard lease and a <see cref="StartingPosition"/>, and read once: a second call to
/// <see cref="ReadAsync"/> throws <see cref="InvalidOperationException"/>. Batches come in shard order, each user
/// record exactly once; a source recovers from throttling, transient failures and expired iterators or
/// subscriptions by itself.
/// </para>
/// <para>
/// The sequence ends after a batch with <see cref="ShardBatch.IsShardEnd"/>, or when the source is disposed or the
/// enumeration cancelled. It throws when reading fails for good (e.g. <see cref="ResourceNotFoundException"/> for a
/// deleted stream), after the batches read before the failure.
/// </para>
/// <para>
/// A source may read ahead of the consumer, within bounds: taking the next batch is what lets it read more, so
/// the processor's pace holds back the reads. Disposing stops the reading and drops what was read ahead.
/// </para>
/// </remarks>
internal interface IShardRecordSource : IAsyncDisposable
{
    /// <summary>The batches of the shard, from the starting position on.</summary>
    /// <param name="cancellationToken">Ends the enumeration (with <see cref="OperationCanceledException"/>) and stops the reading.</param>
    /// <returns>The batches; enumerate once.</returns>
    IAsyncEnumerable<ShardBatch> ReadAsync(CancellationToken cancellationToken = default);
}
