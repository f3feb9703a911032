using System.Collections.Concurrent;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Consumer.Tests.Leases;
using Kinesis.Clients.Consumer.Worker;
using Kinesis.Clients.Records;
using Kinesis.Clients.Testing;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// The worker's watch of the KCL fleet's client version on a fake clock: read at the KCL's monitor interval, failed
/// reads are no switch (one log line per streak), and a switch to the leader protocol ends the run after a graceful stop.
/// </summary>
public sealed class WorkerFleetWatchTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private const string Shard = "shardId-000000000000";

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryLeaseStore _store = new();
    private readonly ProcessingLog _log = new();
    private readonly TestLogger _logger = new();

    [Fact(Timeout = 60_000)]
    public async Task Failed_reads_keep_the_worker_going_and_a_switch_to_the_leader_protocol_ends_the_run_after_a_graceful_stop()
    {
        // What each read finds, in order: two failures (one streak), a 2.x-compatible fleet, a failure, then 3.x.
        var outcomes = new Queue<Func<FleetClientVersion?>>(
        [
            () => throw new TimeoutException("read timed out"),
            () => throw new TimeoutException("read timed out"),
            () => new FleetClientVersion("CLIENT_VERSION_UPGRADE_FROM_2X", "app"),
            () => throw new TimeoutException("read timed out"),
            () => new FleetClientVersion("CLIENT_VERSION_3X", "app"),
        ]);
        var readAt = new ConcurrentQueue<DateTimeOffset>();
        var startedAt = _time.GetUtcNow();
        var shards = new ScriptedShards().Shard(Shard, HashKeyRange.Full).Records(Shard, 3);
        var (run, stop) = Start(shards, _ =>
        {
            readAt.Enqueue(_time.GetUtcNow());
            return Task.FromResult(outcomes.Dequeue()());
        });
        using var stopScope = stop;

        await AdvanceUntilAsync(() => run.IsCompleted);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run);
        Assert.Contains("cv = CLIENT_VERSION_3X)", error.Message, StringComparison.Ordinal);
        Assert.Empty(outcomes);
        var times = readAt.Prepend(startedAt).ToList();
        for (var i = 1; i < times.Count; i++)
        {
            Assert.True(times[i] - times[i - 1] >= KclFleetMode.MonitorInterval, $"read {i} came {times[i] - times[i - 1]} after the previous one");
        }

        Assert.Equal(2, _logger.WithId(2081).Count());
        Assert.Equal(2, _logger.WithId(2082).Count()); // each streak ends with the next read that works
        Assert.Collection(
            _logger.WithId(2080),
            e => Assert.Contains("is CLIENT_VERSION_UPGRADE_FROM_2X (", e.Message, StringComparison.Ordinal),
            e => Assert.Contains("is CLIENT_VERSION_3X (", e.Message, StringComparison.Ordinal));
        Assert.Equal(error.Message, Assert.Single(_logger.WithId(2083)).Message);

        // The processor got its records, was asked to stop (not told of a loss), and the lease is free for the leader.
        Assert.Equal(3, _log.Records.Count);
        Assert.Contains((Worker: "w1", Shard, "shutdown"), _log.Events);
        Assert.DoesNotContain(_log.Events, e => e.Event == "lease lost");
        var lease = await _store.GetAsync(Shard);
        Assert.Null(lease?.LeaseOwner);
        Assert.Equal(new ExtendedSequenceNumber(_log.Records.Last().Record.SequenceNumber), lease!.Checkpoint);
    }

    private (Task Run, CancellationTokenSource Stop) Start(ScriptedShards shards, Func<CancellationToken, Task<FleetClientVersion?>>? read)
    {
        var options = new KinesisConsumerOptions
        {
            ApplicationName = "app",
            StreamName = "stream",
            WorkerId = "w1",
            InitialPosition = InitialPosition.TrimHorizon,
            FailoverTime = TimeSpan.FromSeconds(10),
            ShardSyncInterval = TimeSpan.FromSeconds(60),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            MetricsLevel = global::Kinesis.Clients.Metrics.MetricsLevel.None,
            TimeProvider = _time,
        };
        var metrics = new ConsumerMetrics(options.StreamName, options.WorkerId);
        var worker = new ConsumerWorker(
            options,
            _store,
            shards.ListAsync,
            shards.Open,
            new RecordingFactory(_log, "w1"),
            metrics,
            new ConcurrentDictionary<string, ShardConsumer>(StringComparer.Ordinal),
            _logger)
        {
            ReadFleetClientVersion = read,
        };
        var stop = new CancellationTokenSource();
        var run = worker.RunAsync(stop.Token).ContinueWith(
            async t =>
            {
                metrics.Dispose();
                await t;
            },
            CancellationToken.None,
            TaskContinuationOptions.None,
            TaskScheduler.Default).Unwrap();
        return (run, stop);
    }

    /// <summary>Moves the fake clock on in small steps until <paramref name="done"/> holds, within a real deadline.</summary>
    private async Task AdvanceUntilAsync(Func<bool> done)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!done())
        {
            Assert.False(deadline.IsCancellationRequested, "condition not reached; log:\n" + string.Join("\n", _logger.Entries.Select(e => e.Message)));
            _time.Advance(TimeSpan.FromMilliseconds(250));
            await Task.Delay(1, CancellationToken.None);
        }
    }
}
