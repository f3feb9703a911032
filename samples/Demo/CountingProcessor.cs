using System.Collections.Concurrent;
using System.Text;
using Kinesis.Clients.Consumer;

namespace Kinesis.Clients.Demo;

/// <summary>Collects what the consumer receives, and checkpoints after each batch.</summary>
internal sealed class CountingProcessor(ConcurrentBag<(string Key, string Text)> received) : IRecordProcessor, IRecordProcessorFactory
{
    public IRecordProcessor CreateProcessor(string shardId) => this;

    public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
    {
        foreach (var record in input.Records)
        {
            received.Add((record.PartitionKey, Encoding.UTF8.GetString(record.Data.Span)));
        }

        await input.Checkpointer.CheckpointAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken) =>
        await input.Checkpointer.CheckpointAsync(cancellationToken).ConfigureAwait(false);

    public async ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken) =>
        await input.Checkpointer.CheckpointAsync(cancellationToken).ConfigureAwait(false);
}
