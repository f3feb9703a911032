using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Positions;
using Kinesis.Clients.Consumer.Retrieval;
using Kinesis.Clients.Records;
using Microsoft.Extensions.Logging;

namespace Kinesis.Clients.Consumer.Worker;

/// <summary>What every shard consumer of one worker shares.</summary>
internal sealed class ConsumerContext
{
    private readonly Func<string, HashKeyRange?, StartingPosition, IShardRecordSource> _createSource;
    private readonly Action<ShardConsumer> _onDone;
    private IReadOnlySet<string>? _listedShards;
    private StreamIdentifier? _stream;
    private TaskCompletionSource _parentFinished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public ConsumerContext(
        KinesisConsumerOptions options,
        LeaseCoordinator leases,
        ILeaseStore store,
        IRecordProcessorFactory factory,
        ConsumerMetrics metrics,
        ILogger logger,
        Func<string, HashKeyRange?, StartingPosition, IShardRecordSource> createSource,
        Action<ShardConsumer> onDone)
    {
        Options = options;
        Leases = leases;
        Store = store;
        Factory = factory;
        Metrics = metrics;
        Logger = logger;
        _createSource = createSource;
        _onDone = onDone;
        InitialPosition = options.InitialPosition;
    }

    /// <summary>The stream these shard consumers read, as processors are told it. <value>Default: the one stream, by name.</value></summary>
    public StreamIdentifier Stream
    {
        get => _stream ??= StreamIdentifier.SingleStream(Options.StreamLabel);
        init => _stream = value;
    }

    /// <summary>Where the stream's shards without a checkpoint start (its AT_TIMESTAMP time is read from here).</summary>
    public InitialPosition InitialPosition { get; init; }

    public KinesisConsumerOptions Options { get; }

    public LeaseCoordinator Leases { get; }

    /// <summary>The stream's leases keyed by shard id (a <see cref="StreamLeaseView"/> in multi-stream mode).</summary>
    public ILeaseStore Store { get; }

    public IRecordProcessorFactory Factory { get; }

    public ConsumerMetrics Metrics { get; }

    public ILogger Logger { get; }

    /// <summary>Whether this worker's last take of a lease was a steal from a live owner (asked once per take).</summary>
    public Func<string, bool> TakeWasSteal { get; init; } = _ => false;

    /// <summary>A shard consumer was told its shard does not exist; the lease cleanup checks it at once.</summary>
    public Action<string> OnShardNotFound { get; init; } = _ => { };

    /// <summary>The shard ids of the stream's latest listing; <see langword="null"/> before the first.</summary>
    public IReadOnlySet<string>? ListedShards
    {
        get => Volatile.Read(ref _listedShards);
        set => Volatile.Write(ref _listedShards, value);
    }

    /// <summary>Writes records to the dead-letter stream; set when the failed-batch action is to dead-letter.</summary>
    public Func<StreamIdentifier, FailedBatch, CancellationToken, Task>? WriteDeadLetters { get; init; }

    public IShardRecordSource CreateSource(string shardId, HashKeyRange? range, StartingPosition start) => _createSource(shardId, range, start);

    public void OnShardConsumerDone(ShardConsumer consumer) => _onDone(consumer);

    /// <summary>Wakes every child waiting for a parent: one of this worker's shards just reached its end, or a lease was deleted.</summary>
    public void OnParentFinished() =>
        Interlocked.Exchange(ref _parentFinished, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    public async Task WaitForParentFinishedAsync(TimeSpan atMost, CancellationToken cancellationToken)
    {
        var signal = Volatile.Read(ref _parentFinished).Task;
        try
        {
            await signal.WaitAsync(atMost, Options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // Time to look at the parents' leases again.
        }
    }
}
