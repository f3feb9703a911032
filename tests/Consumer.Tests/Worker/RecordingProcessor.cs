using System.Collections.Concurrent;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>What every processor of a test saw, across workers.</summary>
internal sealed class ProcessingLog
{
    private readonly ConcurrentDictionary<string, int> _active = new();

    public ConcurrentQueue<(string Worker, string Shard, ConsumerRecord Record)> Records { get; } = new();

    public ConcurrentQueue<(string Worker, string Shard, string Event)> Events { get; } = new();

    public ConcurrentQueue<(string Worker, string Shard, ExtendedSequenceNumber Checkpoint)> Initialized { get; } = new();

    public int MaxConcurrentPerShard { get; private set; }

    public void Enter(string shard)
    {
        var now = _active.AddOrUpdate(shard, 1, (_, n) => n + 1);
        lock (_active)
        {
            MaxConcurrentPerShard = Math.Max(MaxConcurrentPerShard, now);
        }
    }

    public void Leave(string shard) => _active.AddOrUpdate(shard, 0, (_, n) => n - 1);
}

/// <summary>Records every batch and checkpoints after each one; checkpoints at shard end and on shutdown.</summary>
internal sealed class RecordingProcessor : IRecordProcessor
{
    private readonly ProcessingLog _log;
    private readonly string _worker;
    private string _shard = "";

    public RecordingProcessor(ProcessingLog log, string worker)
    {
        _log = log;
        _worker = worker;
    }

    public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken)
    {
        // Two streams may have shards of one id: a multi-stream worker's shards are logged as stream/shard.
        _shard = input.Stream is { IsMultiStream: true } stream ? $"{stream.StreamName}/{input.ShardId}" : input.ShardId;
        _log.Enter(_shard);
        _log.Events.Enqueue((_worker, _shard, "initialize " + input.Checkpoint));
        _log.Initialized.Enqueue((_worker, _shard, input.Checkpoint));
        return ValueTask.CompletedTask;
    }

    public async ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
    {
        foreach (var record in input.Records)
        {
            _log.Records.Enqueue((_worker, _shard, record));
        }

        await input.Checkpointer.CheckpointAsync(cancellationToken);
    }

    public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken)
    {
        _log.Events.Enqueue((_worker, _shard, "lease lost"));
        _log.Leave(_shard);
        return ValueTask.CompletedTask;
    }

    public async ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken)
    {
        await input.Checkpointer.CheckpointAsync(cancellationToken);
        _log.Events.Enqueue((_worker, _shard, "shard ended"));
        _log.Leave(_shard);
    }

    public ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken)
    {
        _log.Events.Enqueue((_worker, _shard, "shutdown"));
        _log.Leave(_shard);
        return ValueTask.CompletedTask;
    }
}

internal sealed class RecordingFactory : IRecordProcessorFactory
{
    private readonly ProcessingLog _log;
    private readonly string _worker;

    public RecordingFactory(ProcessingLog log, string worker)
    {
        _log = log;
        _worker = worker;
    }

    public IRecordProcessor CreateProcessor(string shardId) => new RecordingProcessor(_log, _worker);
}
