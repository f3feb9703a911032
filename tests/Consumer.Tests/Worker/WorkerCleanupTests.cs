using System.Collections.Concurrent;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Tests.Leases;
using Kinesis.Clients.Consumer.Worker;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// Lease cleanup in the worker's loop, on the in-memory store, a scripted stream and a fake clock: shards that aged out
/// or were deleted, and finished parents, as a table left by Java KCL workers presents them.
/// </summary>
public sealed class WorkerCleanupTests
{
    private const string Parent = "shardId-000000000000";
    private const string Left = "shardId-000000000001";
    private const string Right = "shardId-000000000002";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private static readonly HashKeyRange Lower = new(HashKey.MinValue, HashKey.Parse("170141183460469231731687303715884105727"));
    private static readonly HashKeyRange Upper = new(HashKey.Parse("170141183460469231731687303715884105728"), HashKey.MaxValue);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryLeaseStore _store = new();
    private readonly ProcessingLog _log = new();
    private readonly TestLogger _logger = new();

    [Fact(Timeout = 60_000)]
    public async Task A_parent_that_aged_out_loses_its_lease_and_its_children_start_from_trim_horizon()
    {
        // A Java worker held the parent mid-way and left; the shard has since aged out of retention.
        Assert.NotNull(await _store.CreateIfAbsentAsync(
            Lease.ForNewShard(Parent, new ExtendedSequenceNumber("49590338271490256608559692538361571095921575989136588898")) with { LeaseOwner = "java-worker-1", LeaseCounter = 17 }));
        var shards = new ScriptedShards()
            .Shard(Left, Lower, parent: Parent)
            .Shard(Right, Upper, parent: Parent)
            .Remove(Parent)
            .Records(Left, 2)
            .Records(Right, 3);

        await using var worker = Start(shards);
        await AdvanceUntilAsync(async () => _log.Records.Count == 5 && await _store.GetAsync(Parent) is null);

        Assert.Equal([ExtendedSequenceNumber.TrimHorizon, ExtendedSequenceNumber.TrimHorizon],
            _log.Initialized.Where(i => i.Shard != Parent).OrderBy(i => i.Shard, StringComparer.Ordinal).Select(i => i.Checkpoint));
        Assert.Equal(1, shards.OpenedCount(Left));
        Assert.Equal(1, shards.OpenedCount(Right));
        Assert.Equal(5, _log.Records.Select(r => (r.Shard, r.Record.SequenceNumber)).Distinct().Count());

        // Once the worker's clock saw the Java worker's lease expire, it took it, was told the shard does not
        // exist, and deleted the lease: once, not in a release-and-retake loop.
        Assert.Equal(1, shards.OpenedCount(Parent));
        var deleted = Assert.Single(_logger.WithId(2006));
        Assert.Contains(Parent, deleted.Message, StringComparison.Ordinal);
        Assert.Contains("does not exist", deleted.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_shard_deleted_while_held_ends_its_processor_and_loses_its_lease()
    {
        var shards = new ScriptedShards().Shard(Parent, HashKeyRange.Full).Records(Parent, 2);
        await using var worker = Start(shards);
        await AdvanceUntilAsync(() => Task.FromResult(_log.Records.Count == 2));

        shards.Remove(Parent);
        await AdvanceUntilAsync(async () => await _store.GetAsync(Parent) is null && worker.Running.Count == 0);

        // As the KCL's shutdown on ResourceNotFound: the processor hears of a shard end (and may checkpoint it).
        Assert.Contains(_log.Events, e => e.Shard == Parent && e.Event == "shard ended");
        Assert.Equal(1, shards.OpenedCount(Parent));
        Assert.Single(_logger.WithId(2020));
        Assert.Single(_logger.WithId(2006));

        // Nothing comes back at the next shard sync or cleanup round.
        await AdvanceForAsync(TimeSpan.FromMinutes(2));
        Assert.Empty(await _store.ListAsync());
        Assert.Equal(1, shards.OpenedCount(Parent));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_finished_parent_is_deleted_after_its_children_started_and_the_completed_interval_passed()
    {
        var shards = new ScriptedShards()
            .Shard(Parent, HashKeyRange.Full, closed: true)
            .Shard(Left, Lower, parent: Parent)
            .Shard(Right, Upper, parent: Parent)
            .Records(Parent, 1)
            .End(Parent, new ChildShard(Left, [Parent], Lower), new ChildShard(Right, [Parent], Upper))
            .Records(Left, 1)
            .Records(Right, 1);
        var started = _time.GetUtcNow();

        await using var worker = Start(shards);
        await AdvanceUntilAsync(() => Task.FromResult(_log.Records.Count == 3));

        // Both children have checkpointed past TRIM_HORIZON, but the completed-lease interval (5 minutes) has not passed.
        var parent = await _store.GetAsync(Parent);
        Assert.True(parent is { IsFinished: true }, parent?.ToString());
        Assert.True(_time.GetUtcNow() - started < TimeSpan.FromMinutes(5));

        await AdvanceUntilAsync(async () => await _store.GetAsync(Parent) is null);

        Assert.True(_time.GetUtcNow() - started >= TimeSpan.FromMinutes(5));
        Assert.All(await _store.ListAsync(), l => Assert.False(l.Checkpoint.IsSentinel, l.ToString()));
        var deleted = Assert.Single(_logger.WithId(2006));
        Assert.Contains("all its children have started", deleted.Message, StringComparison.Ordinal);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_finished_parent_stays_when_cleanup_upon_shard_completion_is_off()
    {
        var shards = new ScriptedShards()
            .Shard(Parent, HashKeyRange.Full, closed: true)
            .Shard(Left, HashKeyRange.Full, parent: Parent)
            .End(Parent, new ChildShard(Left, [Parent], HashKeyRange.Full))
            .Records(Left, 1);

        await using var worker = Start(shards, o => o.CleanupLeasesUponShardCompletion = false);
        await AdvanceUntilAsync(() => Task.FromResult(_log.Records.Count == 1));
        await AdvanceForAsync(TimeSpan.FromMinutes(6));

        var parent = await _store.GetAsync(Parent);
        Assert.True(parent is { IsFinished: true }, parent?.ToString());
        Assert.Empty(_logger.WithId(2006));
    }

    private RunningWorker Start(ScriptedShards shards, Action<KinesisConsumerOptions>? configure = null)
    {
        var options = new KinesisConsumerOptions
        {
            ApplicationName = "app",
            StreamName = "stream",
            WorkerId = "w1",
            InitialPosition = InitialPosition.TrimHorizon,
            MetricsLevel = global::Kinesis.Clients.Metrics.MetricsLevel.None,
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            TimeProvider = _time,
        };
        configure?.Invoke(options);
        var running = new ConcurrentDictionary<string, ShardConsumer>(StringComparer.Ordinal);
        var metrics = new ConsumerMetrics(options.StreamName, options.WorkerId);
        var worker = new ConsumerWorker(options, _store, shards.ListAsync, shards.Open, new RecordingFactory(_log, "w1"), metrics, running, _logger);
        var stop = new CancellationTokenSource();
        return new RunningWorker(worker.RunAsync(stop.Token), stop, metrics, running, this);
    }

    /// <summary>Moves the fake clock on in small steps until <paramref name="done"/> holds, within a real deadline.</summary>
    private async Task AdvanceUntilAsync(Func<Task<bool>> done)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await done())
        {
            Assert.False(deadline.IsCancellationRequested,
                "condition not reached; events:\n" + string.Join("\n", _log.Events) + "\nlog:\n" + string.Join("\n", _logger.Entries.Select(e => e.Message)));
            _time.Advance(TimeSpan.FromMilliseconds(500));
            await Task.Delay(1, CancellationToken.None);
        }
    }

    /// <summary>Moves the fake clock on by <paramref name="span"/> in the same small steps, the loop running between them.</summary>
    private async Task AdvanceForAsync(TimeSpan span)
    {
        var until = _time.GetUtcNow() + span;
        await AdvanceUntilAsync(() => Task.FromResult(_time.GetUtcNow() >= until));
    }

    private sealed class RunningWorker(
        Task run, CancellationTokenSource stop, ConsumerMetrics metrics, ConcurrentDictionary<string, ShardConsumer> running, WorkerCleanupTests test)
        : IAsyncDisposable
    {
        public ICollection<string> Running => running.Keys;

        public async ValueTask DisposeAsync()
        {
            if (!run.IsCompleted)
            {
                await stop.CancelAsync();
                await test.AdvanceUntilAsync(() => Task.FromResult(run.IsCompleted));
            }

            await run;
            stop.Dispose();
            metrics.Dispose();
        }
    }
}
