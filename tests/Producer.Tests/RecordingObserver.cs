using System.Collections.Concurrent;

namespace Kinesis.Clients.Producer.Tests;

/// <summary>Records every outcome an <see cref="IPutObserver"/> hears, and how often a token was acknowledged twice.</summary>
internal sealed class RecordingObserver : IPutObserver
{
    public ConcurrentDictionary<long, (string Shard, string Sequence)> Succeeded { get; } = new();

    public ConcurrentQueue<(long Token, RecordFailure Failure)> Failed { get; } = new();

    public TaskCompletionSource<(long Token, RecordFailure Failure)> FirstFailure { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private int _duplicates;

    public bool ThrowOnEven { get; init; }

    public int Duplicates => Volatile.Read(ref _duplicates);

    public void OnPutSucceeded(long token, string shardId, string sequenceNumber)
    {
        if (!Succeeded.TryAdd(token, (shardId, sequenceNumber)))
        {
            Interlocked.Increment(ref _duplicates);
        }

        if (ThrowOnEven && token % 2 == 0)
        {
            throw new InvalidOperationException("observer failure on purpose");
        }
    }

    public void OnPutFailed(long token, RecordFailure failure)
    {
        Failed.Enqueue((token, failure));
        FirstFailure.TrySetResult((token, failure));
    }
}
