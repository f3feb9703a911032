using Kinesis.Clients.Records;

namespace Kinesis.Clients.Testing;

/// <summary>
/// The streams a standalone <see cref="KinesisLimitsProxy"/> serves: names and shard counts. Each stream's
/// shards split the hash key space evenly, as CreateStream does, with ids <c>shardId-000000000000</c> upwards.
/// </summary>
public sealed class StandaloneStreams
{
    /// <summary>The most shards one stream may declare.</summary>
    public const int MaxShardCount = 10_000;

    private readonly Dictionary<string, int> _streams = new(StringComparer.Ordinal);

    /// <summary>The declared streams and their shard counts.</summary>
    public IReadOnlyDictionary<string, int> ShardCounts => _streams;

    /// <summary>A set holding one stream.</summary>
    /// <param name="streamName">The stream name.</param>
    /// <param name="shardCount">Its shards, 1 to <see cref="MaxShardCount"/>.</param>
    /// <returns>The new set.</returns>
    public static StandaloneStreams Of(string streamName, int shardCount) => new StandaloneStreams().Add(streamName, shardCount);

    /// <summary>Declares a stream.</summary>
    /// <param name="streamName">The stream name (1-128 of <c>a-zA-Z0-9_.-</c>), not declared before.</param>
    /// <param name="shardCount">Its shards, 1 to <see cref="MaxShardCount"/>.</param>
    /// <returns>This set, to chain further streams.</returns>
    /// <exception cref="ArgumentException">The name is invalid or taken, or the count out of range.</exception>
    public StandaloneStreams Add(string streamName, int shardCount)
    {
        RecordValidation.ValidateStreamName(streamName, nameof(streamName));
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(shardCount, MaxShardCount);
        if (!_streams.TryAdd(streamName, shardCount))
        {
            throw new ArgumentException($"Stream '{streamName}' is declared twice.", nameof(streamName));
        }

        return this;
    }
}
