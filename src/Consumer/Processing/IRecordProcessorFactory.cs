namespace Kinesis.Clients.Consumer;

/// <summary>Makes one <see cref="IRecordProcessor"/> per shard lease.</summary>
public interface IRecordProcessorFactory
{
    /// <summary>A new processor for <paramref name="shardId"/>.</summary>
    IRecordProcessor CreateProcessor(string shardId);
}
