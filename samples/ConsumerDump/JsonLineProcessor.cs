using System.Text.Json;
using Kinesis.Clients.Consumer;

namespace Kinesis.Clients.ConsumerDump;

/// <summary>
/// Writes each record as one JSON line and checkpoints after the batch is on stdout, so a record whose
/// checkpoint is stored has always been written (a crash can repeat lines, never lose them).
/// </summary>
internal sealed class JsonLineProcessor : IRecordProcessor
{
    private readonly JsonLineWriter _output;
    private string _stream;
    private string _shard = "";

    public JsonLineProcessor(JsonLineWriter output, string stream)
    {
        _output = output;
        _stream = stream;
    }

    public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken)
    {
        _shard = input.ShardId;
        // In multi-stream mode the worker says which stream the shard is of.
        if (input.Stream is { IsMultiStream: true } stream)
        {
            _stream = stream.StreamName;
        }

        return ValueTask.CompletedTask;
    }

    public async ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
    {
        await _output.WriteAsync(writer =>
        {
            foreach (var record in input.Records)
            {
                writer.WriteStartObject();
                writer.WriteString("stream", _stream);
                writer.WriteString("shard", _shard);
                writer.WriteString("sequence", record.SequenceNumber);
                writer.WriteNumber("subSequence", record.SubSequenceNumber);
                writer.WriteString("partitionKey", record.PartitionKey);
                writer.WriteBase64String("data", record.Data.Span);
                writer.WriteEndObject();
                writer.Flush();
                writer.Reset();
                _output.EndLine();
            }
        }).ConfigureAwait(false);
        await input.Checkpointer.CheckpointAsync(cancellationToken).ConfigureAwait(false);
    }

    public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken) =>
        await input.Checkpointer.CheckpointAsync(cancellationToken).ConfigureAwait(false);

    public ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;
}

/// <summary>Makes a <see cref="JsonLineProcessor"/> per shard, all writing to one output.</summary>
internal sealed class JsonLineProcessorFactory(JsonLineWriter output, string stream) : IRecordProcessorFactory
{
    public IRecordProcessor CreateProcessor(string shardId) => new JsonLineProcessor(output, stream);
}
