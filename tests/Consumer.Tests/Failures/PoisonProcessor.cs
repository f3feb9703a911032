using System.Collections.Concurrent;
using System.Text;

namespace Kinesis.Clients.Consumer.Tests.Failures;

/// <summary>
/// A processor that throws on every batch holding a poisoned record until healed, and keeps every call it got and
/// every batch it finished; shared by the processors of all workers of a test.
/// </summary>
internal sealed class PoisonProcessor : IRecordProcessor, IRecordProcessorFactory
{
    private readonly HashSet<string> _poison;
    private volatile bool _healed;

    public PoisonProcessor(bool checkpoints, params string[] poison)
    {
        Checkpoints = checkpoints;
        _poison = [.. poison];
    }

    public bool Checkpoints { get; }

    /// <summary>Every batch handed in, as the data of its records.</summary>
    public ConcurrentQueue<string[]> Calls { get; } = new();

    /// <summary>Every batch that returned without throwing.</summary>
    public ConcurrentQueue<string[]> Succeeded { get; } = new();

    public ConcurrentQueue<string> Initialized { get; } = new();

    /// <summary>Records handed in again after a batch holding them had succeeded.</summary>
    public ConcurrentQueue<string> Redelivered { get; } = new();

    public void Heal() => _healed = true;

    public int CallsWith(string data) => Calls.Count(c => c.Contains(data));

    public IRecordProcessor CreateProcessor(string shardId) => this;

    public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken)
    {
        Initialized.Enqueue(input.Checkpoint.ToString());
        return ValueTask.CompletedTask;
    }

    public async ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
    {
        var data = input.Records.Select(r => Encoding.UTF8.GetString(r.Data.Span)).ToArray();
        Calls.Enqueue(data);
        foreach (var again in data.Where(d => Succeeded.Any(b => b.Contains(d))))
        {
            Redelivered.Enqueue(again);
        }

        if (!_healed && data.FirstOrDefault(_poison.Contains) is { } bad)
        {
            throw new FormatException($"cannot parse {bad}");
        }

        if (Checkpoints)
        {
            await input.Checkpointer.CheckpointAsync(cancellationToken);
        }

        Succeeded.Enqueue(data);
    }

    public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken) => ValueTask.CompletedTask;

    public async ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken) => await input.Checkpointer.CheckpointAsync(cancellationToken);

    /// <summary>Checkpoints the last record delivered, as the usual processor does, when it checkpoints at all.</summary>
    public async ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken)
    {
        if (Checkpoints)
        {
            await input.Checkpointer.CheckpointAsync(cancellationToken);
        }
    }
}
