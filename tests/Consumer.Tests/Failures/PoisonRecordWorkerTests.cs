using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Kinesis.Clients.Consumer.Tests.Leases;
using Kinesis.Clients.Consumer.Tests.Worker;
using Kinesis.Clients.Consumer.Worker;
using Kinesis.Clients.Records;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Kinesis.Clients.Consumer.Tests.Failures;

/// <summary>
/// A record the processor always throws on, on the in-memory lease store with a scripted stream and a fake clock:
/// a stopped shard keeps its lease and retries at a capped rate, a skipped batch goes to the callback (bisected down
/// to the bad record), and the consumer's own checkpoint after a skip passes nothing the processor still holds.
/// </summary>
public sealed class PoisonRecordWorkerTests : IDisposable
{
    private const string S = "shardId-000000000000";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryLeaseStore _store = new();
    private readonly string _stream = "poison-" + Guid.NewGuid().ToString("N")[..8];
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _counters = new();
    private long _stalled;

    public PoisonRecordWorkerTests()
    {
        _listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == ConsumerMetrics.MeterName && instrument.Name is "StalledShards" or "SkippedRecords" or "ProcessingFailures")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            if (Mine(tags))
            {
                _counters.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
            }
        });
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) =>
        {
            if (Mine(tags))
            {
                Interlocked.Add(ref _stalled, value);
            }
        });
        _listener.Start();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stopped_shard_keeps_its_lease_retries_at_a_capped_rate_and_shows_in_the_gauge_until_it_recovers()
    {
        var shards = new ScriptedShards().Shard(S, HashKeyRange.Full).Records(S, 3).Records(S, 2);
        var processor = new PoisonProcessor(checkpoints: true, D(3));
        static void Configure(KinesisConsumerOptions o)
        {
            o.MaxProcessingRetries = 2;
            o.ProcessingRetryMaxDelay = TimeSpan.FromSeconds(8);
        }

        await using var w1 = Start(shards, "w1", processor, Configure);
        await using var w2 = Start(shards, "w2", processor, Configure);

        // The first call and two retries (1 s, 2 s later), then the shard stalls: the fourth call comes 4 s later.
        await AdvanceUntilAsync(() => processor.CallsWith(D(3)) >= 4);
        Assert.Equal(1, StalledShards());
        var owner = (await _store.GetAsync(S))!.LeaseOwner;
        var before = processor.CallsWith(D(3));

        // Twelve failover times: the owner keeps renewing, so the other worker never takes the lease, and the stalled
        // batch is tried at most once every 8 s.
        await AdvanceByAsync(TimeSpan.FromSeconds(120));
        var calls = processor.CallsWith(D(3)) - before;
        Assert.InRange(calls, 5, (120 / 8) + 2);
        Assert.Single(processor.Initialized);
        Assert.Equal(owner, (await _store.GetAsync(S))!.LeaseOwner);
        Assert.Equal(1, StalledShards());
        Assert.Equal(1, processor.CallsWith(D(0)));
        Assert.Equal("1002", (await _store.GetAsync(S))!.Checkpoint.SequenceNumber);

        processor.Heal();
        await AdvanceUntilAsync(() => processor.Succeeded.Any(b => b.Contains(D(3))));
        await AdvanceUntilAsync(() => StalledShards() == 0);
        Assert.Equal("1004", (await _store.GetAsync(S))!.Checkpoint.SequenceNumber);
        Assert.Empty(processor.Redelivered);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_graceful_shutdown_of_a_stalled_shard_checkpoints_only_what_succeeded_and_releases_the_lease()
    {
        var shards = new ScriptedShards().Shard(S, HashKeyRange.Full).Records(S, 2).Records(S, 2);
        var processor = new PoisonProcessor(checkpoints: true, D(3));
        var worker = Start(shards, "w1", processor, o => o.MaxProcessingRetries = 0);
        await AdvanceUntilAsync(() => StalledShards() == 1);

        // The processor checkpoints "the last record delivered" when asked to shut down: that is 1001, not the failed 1003.
        await worker.DisposeAsync();

        var lease = (await _store.GetAsync(S))!;
        Assert.Equal(("1001", null), (lease.Checkpoint.SequenceNumber, lease.LeaseOwner));
        Assert.Equal(0, StalledShards());
    }

    [Fact(Timeout = 60_000)]
    public async Task Bisection_hands_only_the_bad_record_to_the_skip_callback_and_never_repeats_a_succeeded_record()
    {
        var shards = new ScriptedShards().Shard(S, HashKeyRange.Full).Records(S, 8);
        var processor = new PoisonProcessor(checkpoints: true, D(5));
        var skipped = new ConcurrentQueue<FailedBatch>();
        await using var worker = Start(shards, "w1", processor, o =>
        {
            o.MaxProcessingRetries = 1;
            o.BisectBatchOnFailure = true;
            o.FailedBatchAction = FailedBatchAction.SkipBatch;
            o.OnBatchSkipped = (failure, _) =>
            {
                skipped.Enqueue(failure);
                return ValueTask.CompletedTask;
            };
        });

        await AdvanceUntilAsync(() => processor.Succeeded.Any(b => b.Contains(D(7))));

        string[] expected = ["0-7", "0-7", "0-3", "4-7", "4-7", "4-5", "4-5", "4", "5", "5", "6-7"];
        Assert.Equal(expected, processor.Calls.Select(Span).ToArray());
        var failure = Assert.Single(skipped);
        Assert.Equal([D(5)], failure.Records.Select(r => Encoding.UTF8.GetString(r.Data.Span)));
        Assert.Equal((S, 2), (failure.ShardId, failure.Attempts));
        Assert.IsType<FormatException>(failure.Exception);
        Assert.Empty(processor.Redelivered);
        Assert.Equal(1, _counters.GetValueOrDefault("SkippedRecords"));
        Assert.Equal(8, _counters.GetValueOrDefault("ProcessingFailures"));
        Assert.Equal("1007", (await _store.GetAsync(S))!.Checkpoint.SequenceNumber);
    }

    [Theory(Timeout = 60_000)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_consumer_checkpoints_past_a_skipped_batch_only_when_the_processor_checkpointed_everything_before_it(bool processorCheckpoints)
    {
        var shards = new ScriptedShards().Shard(S, HashKeyRange.Full).Records(S, 2).Records(S, 1);
        var processor = new PoisonProcessor(processorCheckpoints, D(2));
        var skipped = 0;
        await using var worker = Start(shards, "w1", processor, o =>
        {
            o.MaxProcessingRetries = 0;
            o.FailedBatchAction = FailedBatchAction.SkipBatch;
            o.OnBatchSkipped = (_, _) =>
            {
                Interlocked.Increment(ref skipped);
                return ValueTask.CompletedTask;
            };
        });

        await AdvanceUntilAsync(() => Volatile.Read(ref skipped) == 1 && _counters.GetValueOrDefault("SkippedRecords") == 1);
        await AdvanceByAsync(TimeSpan.FromSeconds(5));

        var checkpoint = (await _store.GetAsync(S))!.Checkpoint;
        // Checkpointing 1002 for a processor that holds 1000-1001 unsaved would lose them in a crash.
        Assert.Equal(processorCheckpoints ? "1002" : ExtendedSequenceNumber.TrimHorizonValue, checkpoint.SequenceNumber);
        Assert.Equal(1, processor.CallsWith(D(2)));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_skip_callback_that_throws_stalls_the_shard_until_a_later_hand_off_succeeds()
    {
        var shards = new ScriptedShards().Shard(S, HashKeyRange.Full).Records(S, 1);
        var processor = new PoisonProcessor(checkpoints: true, D(0));
        var handOffs = 0;
        await using var worker = Start(shards, "w1", processor, o =>
        {
            o.MaxProcessingRetries = 0;
            o.FailedBatchAction = FailedBatchAction.SkipBatch;
            o.OnBatchSkipped = (_, _) => Interlocked.Increment(ref handOffs) == 1
                ? throw new IOException("failure store unreachable")
                : ValueTask.CompletedTask;
        });

        await AdvanceUntilAsync(() => StalledShards() == 1);
        Assert.Equal(1, Volatile.Read(ref handOffs));
        await AdvanceUntilAsync(() => Volatile.Read(ref handOffs) == 2 && StalledShards() == 0);

        // The records were given to the processor again before the second hand-off, and then passed.
        Assert.Equal(2, processor.CallsWith(D(0)));
        Assert.Equal(1, _counters.GetValueOrDefault("SkippedRecords"));
        await AdvanceUntilAsync(async () => (await _store.GetAsync(S))!.Checkpoint.SequenceNumber == "1000");
    }

    public void Dispose() => _listener.Dispose();

    private static string D(int i) => $"{S}/{i}";

    private static string Span(string[] call)
    {
        static string Index(string d) => d[(d.LastIndexOf('/') + 1)..];
        return call.Length == 1 ? Index(call[0]) : $"{Index(call[0])}-{Index(call[^1])}";
    }

    private bool Mine(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        foreach (var tag in tags)
        {
            if (tag.Key == "StreamName" && (string?)tag.Value == _stream)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The StalledShards gauge summed over this test's workers.</summary>
    private long StalledShards()
    {
        lock (_listener)
        {
            Interlocked.Exchange(ref _stalled, 0);
            _listener.RecordObservableInstruments();
            return Interlocked.Read(ref _stalled);
        }
    }

    private RunningWorker Start(ScriptedShards shards, string workerId, IRecordProcessorFactory factory, Action<KinesisConsumerOptions> configure)
    {
        var options = new KinesisConsumerOptions
        {
            ApplicationName = "app",
            StreamName = _stream,
            WorkerId = workerId,
            InitialPosition = InitialPosition.TrimHorizon,
            FailoverTime = TimeSpan.FromSeconds(10),
            ShutdownTimeout = TimeSpan.FromSeconds(5),
            MetricsLevel = global::Kinesis.Clients.Metrics.MetricsLevel.None,
            TimeProvider = _time,
        };
        configure(options);
        options.Validate();
        var running = new ConcurrentDictionary<string, ShardConsumer>(StringComparer.Ordinal);
        var metrics = new ConsumerMetrics(options.StreamName, options.WorkerId);
        var worker = new ConsumerWorker(options, _store, shards.ListAsync, shards.Open, factory, metrics, running, NullLogger.Instance);
        var stop = new CancellationTokenSource();
        return new RunningWorker(worker.RunAsync(stop.Token), stop, metrics, this);
    }

    private async Task AdvanceByAsync(TimeSpan span)
    {
        for (var moved = TimeSpan.Zero; moved < span; moved += TimeSpan.FromMilliseconds(100))
        {
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1, CancellationToken.None);
        }
    }

    /// <summary>Moves the fake clock on in small steps until <paramref name="done"/> holds, within a real deadline.</summary>
    private Task AdvanceUntilAsync(Func<bool> done) => AdvanceUntilAsync(() => Task.FromResult(done()));

    private async Task AdvanceUntilAsync(Func<Task<bool>> done)
    {
        using var deadline = new CancellationTokenSource(Deadline);
        while (!await done())
        {
            Assert.False(deadline.IsCancellationRequested, "condition not reached");
            _time.Advance(TimeSpan.FromMilliseconds(100));
            await Task.Delay(1, CancellationToken.None);
        }
    }

    private sealed class RunningWorker(Task run, CancellationTokenSource stop, ConsumerMetrics metrics, PoisonRecordWorkerTests test) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            if (!run.IsCompleted)
            {
                await stop.CancelAsync();
                await test.AdvanceUntilAsync(() => run.IsCompleted);
            }

            await run;
            stop.Dispose();
            metrics.Dispose();
        }
    }
}
