using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>How a multi-stream worker reaches its streams; each stream is addressed by its ARN when known, else its name.</summary>
internal sealed class StreamAccess
{
    public required MultiStreamTracker Tracker { get; init; }

    /// <summary>The stream's account and creation epoch (DescribeStreamSummary), unless the reference carries them.</summary>
    public required Func<StreamReference, CancellationToken, Task<StreamIdentifier>> Identify { get; init; }

    /// <summary>Every shard of the stream at an address.</summary>
    public required Func<string, CancellationToken, Task<IReadOnlyList<Shard>>> ListShards { get; init; }

    /// <summary>A reader of one shard of the stream at an address.</summary>
    public required Func<string, string, HashKeyRange?, StartingPosition, IShardRecordSource> CreateSource { get; init; }
}
