namespace Kinesis.Clients.Consumer;

/// <summary>Makes one <see cref="IRecordProcessor"/> per shard lease.</summary>
public interface IRecordProcessorFactory
{
    /// <summary>A new processor for <paramref name="shardId"/>.</summary>
    IRecordProcessor CreateProcessor(string shardId);

    /// <summary>
    /// A new processor for <paramref name="shardId"/> of <paramref name="stream"/> (the KCL's
    /// <c>shardRecordProcessor(StreamIdentifier)</c>); in multi-stream mode two streams may have shards of the same id.
    /// <value>Default: <see cref="CreateProcessor(string)"/>.</value>
    /// </summary>
    IRecordProcessor CreateProcessor(StreamIdentifier stream, string shardId) => CreateProcessor(shardId);
}
