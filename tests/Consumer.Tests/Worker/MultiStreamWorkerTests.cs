using System.Collections.Concurrent;
using System.Text;
using Kinesis.Clients.Consumer.Leases;
using Kinesis.Clients.Records;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>Workers in multi-stream mode on the engines: one lease table for two streams, a split, a killed worker.</summary>
[Trait("Category", "Engine")]
public sealed class MultiStreamWorkerTests : IClassFixture<LocalAwsFixture>
{
    private static readonly string[] Keys = ["k0", "k1", "k2", "k3", "k4", "k5"];
    private readonly LocalAws _aws;

    public MultiStreamWorkerTests(LocalAwsFixture fixture) => _aws = fixture.Aws;

    [Fact(Timeout = 240_000)]
    public async Task Two_streams_survive_a_split_and_a_killed_worker_with_every_record_delivered_in_order_per_key()
    {
        using var kinesis = new KinesisClient(new KinesisClientOptions { ServiceUrl = _aws.KinesisEndpoint, Region = _aws.Region, Credentials = _aws.Credentials });
        await using var orders = await _aws.NewStreamAsync(1, "msorders", peakShards: 3, through: kinesis).WaitAsync(WorkerKit.Deadline);
        await using var clicks = await _aws.NewStreamAsync(2, "msclicks", through: kinesis).WaitAsync(WorkerKit.Deadline);
        await using var table = _aws.NewTable("msapp");
        var put = new Puts(kinesis);
        await put.RoundsAsync(orders, 3);
        await put.RoundsAsync(clicks, 3);
        using var dynamo = _aws.CreateDynamoDbClient();
        var store = new DynamoDbLeaseStore(dynamo, new LeaseTableOptions { TableName = table.Name });

        using var dump = DumpProcess.Start(_aws, [orders.Name, clicks.Name], table.Name, "dump");
        await WorkerKit.WaitUntilAsync(() => !dump.Records.IsEmpty || dump.HasExited, () => "the dump printed nothing: " + dump.Errors);
        Assert.False(dump.HasExited, dump.Errors);

        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var workers = new[] { "w1", "w2" }.Select(id => new KinesisConsumer(Options(table.Name, id, orders, clicks), new RecordingFactory(log, id))).ToList();
        var runs = workers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();
        // Three leases, three workers: one each once balanced, so the dump still holds one when it dies.
        await WorkerKit.WaitUntilAsync(
            async () => (await store.ListAsync()).GroupBy(l => l.LeaseOwner).Count(g => g.Key is not null && g.Count() == 1) == 3,
            () => "leases not balanced over the three workers");

        using var stopPutting = new CancellationTokenSource();
        var putting = Task.Run(async () =>
        {
            while (!stopPutting.IsCancellationRequested)
            {
                await put.RoundsAsync(orders, 1);
                await put.RoundsAsync(clicks, 1);
                await Task.Delay(100);
            }
        });

        var parent = Assert.Single(await kinesis.ListAllShardsAsync(orders.Name, null).WaitAsync(WorkerKit.Deadline));
        var middle = new HashKey(UInt128.MaxValue / 2);
        await kinesis.SplitShardAsync(orders.Name, parent.ShardId, middle).WaitAsync(WorkerKit.Deadline);
        await kinesis.WaitForStreamActiveAsync(orders.Name, WorkerKit.Deadline).WaitAsync(WorkerKit.Deadline);
        var printed = dump.Records.Count;
        await WorkerKit.WaitUntilAsync(() => dump.Records.Count > printed + 6, () => "no live records reached the dump");

        var dumpLeases = (await store.ListAsync()).Where(l => l.LeaseOwner == "dump").ToList();
        Assert.NotEmpty(dumpLeases);
        dump.Kill();
        await WorkerKit.WaitUntilAsync(
            async () => (await store.ListAsync()).All(l => l.LeaseOwner != "dump"),
            () => "the dump's leases were not taken over");

        await stopPutting.CancelAsync();
        await putting.WaitAsync(WorkerKit.Deadline);
        var delivered = new List<Delivery>();
        await WorkerKit.WaitUntilAsync(
            () =>
            {
                delivered = Deliveries(dump, log);
                var seen = delivered.Select(d => d.Data).ToHashSet(StringComparer.Ordinal);
                return put.All.All(seen.Contains);
            },
            () => $"missing {string.Join(",", put.All.Except(delivered.Select(d => d.Data)).Take(10))}",
            TimeSpan.FromSeconds(120));
        await stop.CancelAsync();
        await Task.WhenAll(runs).WaitAsync(WorkerKit.Deadline);

        // The table as the KCL's multi-stream mode writes it, for both streams and the split's children.
        var leases = await store.ListAsync();
        Assert.All(leases, l => Assert.Equal(l.StreamIdentifier + ":" + l.ShardId, l.LeaseKey));
        Assert.Equal(
            [clicks.Name, orders.Name],
            leases.Select(l => StreamIdentifier.Parse(l.StreamIdentifier!).StreamName).Distinct().Order(StringComparer.Ordinal));
        var children = (await kinesis.ListAllShardsAsync(orders.Name, null).WaitAsync(WorkerKit.Deadline)).Where(c => c.ParentShardId == parent.ShardId).Select(c => c.ShardId).ToList();
        Assert.Equal(2, children.Count);
        var orderShards = leases.Where(l => StreamIdentifier.Parse(l.StreamIdentifier!).StreamName == orders.Name).Select(l => l.ShardId!).ToHashSet(StringComparer.Ordinal);
        Assert.Superset(children.ToHashSet(StringComparer.Ordinal), orderShards);
        Assert.Equal(2, leases.Count(l => StreamIdentifier.Parse(l.StreamIdentifier!).StreamName == clicks.Name));

        // In order per key within every processor run (a run restarts where its sequence numbers go back).
        foreach (var run in Runs(delivered))
        {
            foreach (var key in run.GroupBy(d => (d.Stream, d.Key)))
            {
                var numbers = key.Select(d => d.Number).ToList();
                Assert.True(numbers.Zip(numbers.Skip(1)).All(p => p.First < p.Second), $"{key.Key} out of order in one run: {string.Join(",", numbers)}");
            }
        }

        // Parents before children: every record of a key read from the split shard comes before any read from its children.
        foreach (var key in Keys)
        {
            var fromParent = delivered.Where(d => d.Stream == orders.Name && d.Key == key && d.Shard == parent.ShardId).Select(d => d.Number).DefaultIfEmpty(-1).Max();
            var fromChildren = delivered.Where(d => d.Stream == orders.Name && d.Key == key && d.Shard != parent.ShardId).Select(d => d.Number).DefaultIfEmpty(int.MaxValue).Min();
            Assert.True(fromParent < fromChildren, $"{key}: parent up to {fromParent}, children from {fromChildren}");
        }

        // The survivors resumed the dump's shards after the dump's last checkpoint, never before it.
        foreach (var lease in dumpLeases)
        {
            var shard = $"{StreamIdentifier.Parse(lease.StreamIdentifier!).StreamName}/{lease.ShardId}";
            foreach (var start in log.Initialized.Where(i => i.Shard == shard).Select(i => i.Checkpoint).Take(1))
            {
                Assert.True(
                    start.IsShardEnd || start == ExtendedSequenceNumber.TrimHorizon || dump.Records.Any(r => r.Shard == lease.ShardId && r.Sequence == start.SequenceNumber),
                    $"{shard} resumed from {start}, which the dump never printed");
                Assert.All(
                    log.Records.Where(r => r.Shard == shard),
                    r => Assert.True(new ExtendedSequenceNumber(r.Record.SequenceNumber, r.Record.SubSequenceNumber) > start, $"{shard}: {r.Record} is at or before the checkpoint {start}"));
            }
        }

        Assert.Equal(1, log.MaxConcurrentPerShard);
    }

    private KinesisConsumerOptions Options(string application, string worker, string orders, string clicks) => new()
    {
        ApplicationName = application,
        Streams = new MultiStreamTracker([new StreamConfig(orders), new StreamConfig(clicks)]) { StreamSyncInterval = TimeSpan.FromSeconds(2) },
        WorkerId = worker,
        InitialPosition = InitialPosition.TrimHorizon,
        FailoverTime = WorkerKit.Failover,
        IdleTimeBetweenReads = TimeSpan.FromMilliseconds(200),
        ShardSyncInterval = TimeSpan.FromSeconds(2),
        ParentShardPollInterval = TimeSpan.FromSeconds(1),
        ShutdownTimeout = TimeSpan.FromSeconds(2),
        KinesisEndpoint = _aws.KinesisEndpoint,
        DynamoDbEndpoint = _aws.DynamoDbEndpoint,
        Region = _aws.Region,
        Credentials = _aws.Credentials,
        MetricsLevel = global::Kinesis.Clients.Metrics.MetricsLevel.None,
    };

    /// <summary>Every record delivered, by the dump and the survivors, in each worker's order.</summary>
    private static List<Delivery> Deliveries(DumpProcess dump, ProcessingLog log)
    {
        var records = dump.Records.ToArray();
        var streams = dump.Streams.ToArray();
        var all = records.Select((r, i) => Parse("dump", streams[i], r.Shard, r.Sequence, r.Data)).ToList();
        foreach (var (worker, shard, record) in log.Records)
        {
            var slash = shard.IndexOf('/', StringComparison.Ordinal);
            all.Add(Parse(worker, shard[..slash], shard[(slash + 1)..], record.SequenceNumber, WorkerKit.Text(record)));
        }

        return all;
    }

    private static Delivery Parse(string worker, string stream, string shard, string sequence, string data)
    {
        var parts = data.Split('|');
        return new Delivery(worker, stream, shard, System.Numerics.BigInteger.Parse(sequence, System.Globalization.CultureInfo.InvariantCulture), parts[1], int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture), data);
    }

    /// <summary>Each worker's deliveries of a shard, cut where the sequence numbers go back (the shard was started again).</summary>
    private static IEnumerable<List<Delivery>> Runs(List<Delivery> delivered)
    {
        foreach (var group in delivered.GroupBy(d => (d.Worker, d.Stream, d.Shard)))
        {
            var run = new List<Delivery>();
            foreach (var d in group)
            {
                if (run.Count > 0 && d.Sequence <= run[^1].Sequence)
                {
                    yield return run;
                    run = [];
                }

                run.Add(d);
            }

            yield return run;
        }
    }

    private sealed record Delivery(string Worker, string Stream, string Shard, System.Numerics.BigInteger Sequence, string Key, int Number, string Data);

    /// <summary>Records <c>stream|key|n</c>, n counting up per stream and key, each round one record per key.</summary>
    private sealed class Puts(KinesisClient kinesis)
    {
        private readonly ConcurrentDictionary<string, int> _next = new(StringComparer.Ordinal);
        private readonly ConcurrentQueue<string> _all = new();

        public IReadOnlyCollection<string> All => _all.ToArray();

        public async Task RoundsAsync(string stream, int rounds)
        {
            for (var round = 0; round < rounds; round++)
            {
                var data = Keys.Select(k => $"{stream}|{k}|{_next.AddOrUpdate(stream + k, 0, (_, n) => n + 1)}").ToList();
                var reply = await kinesis.PutRecordsAsync(stream, data.Select(d => new PutRecordsEntry(d.Split('|')[1], Encoding.UTF8.GetBytes(d))).ToList()).WaitAsync(WorkerKit.Deadline);
                Assert.Equal(0, reply.FailedRecordCount);
                foreach (var d in data)
                {
                    _all.Enqueue(d);
                }
            }
        }
    }
}
