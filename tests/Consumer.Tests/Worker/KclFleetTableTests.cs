using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Kinesis.Clients.Consumer.Tests.Leases;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// Our workers on lease tables a Java KCL fleet has used: rows exactly as KCL 2.x, KCL 3.0-3.4 (2.x-compatible) and
/// KCL 3.5 (single-table) write them (Fixtures/*.json), and a table whose fleet runs KCL 3.x's own protocol.
/// </summary>
[Trait("Category", "Engine")]
public sealed class KclFleetTableTests(LocalAwsFixture fixture, ITestOutputHelper output) : IClassFixture<LocalAwsFixture>
{
    private const int Timeout = 120_000;
    private readonly LocalAws _aws = fixture.Aws;

    [Theory(Timeout = Timeout)]
    [InlineData("kcl-2.x.json")]
    [InlineData("kcl-3.x-compatible.json")]
    [InlineData("kcl-3.5-single-table.json")]
    public async Task Two_workers_take_over_a_Java_fleets_leases_balance_and_checkpoint_and_leave_its_other_rows_alone(string file)
    {
        await using var kit = new WorkerKit(_aws);
        using var dynamo = _aws.CreateDynamoDbClient();
        var coordinatorTable = kit.Application + "-CoordinatorState";
        try
        {
            await kit.CreateStreamAsync(4);
            var shards = await kit.Kinesis.ListAllShardsAsync(kit.Stream, null).WaitAsync(WorkerKit.Deadline);
            var table = await KclTableFixture.LoadAsync(dynamo, file, kit.Application, coordinatorTable, shards);
            var before = await table.SnapshotAsync();
            var expected = await kit.PutPlainAsync("r", 60);

            var log = new ProcessingLog();
            using var stop = new CancellationTokenSource();
            var workers = new[] { "dotnet-1", "dotnet-2" }.Select(id => new KinesisConsumer(WithLogs(kit.Options(id)), new RecordingFactory(log, id))).ToList();
            var runs = workers.Select(w => Task.Run(() => w.RunAsync(stop.Token))).ToList();

            await WorkerKit.WaitUntilAsync(
                () => log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count() == expected.Count,
                () => $"{log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count()} of {expected.Count} records");
            await WorkerKit.WaitUntilAsync(
                () => workers.All(w => w.ProcessingShards.Count == 2),
                () => "shards per worker: " + string.Join(", ", workers.Select(w => $"{w.Options.WorkerId}={w.ProcessingShards.Count}")));
            var lastByShard = log.Records.GroupBy(r => r.Shard).ToDictionary(g => g.Key, g => g.Max(r => new ExtendedSequenceNumber(r.Record.SequenceNumber, r.Record.SubSequenceNumber)));
            await WorkerKit.WaitUntilAsync(
                async () =>
                {
                    foreach (var (shard, last) in lastByShard)
                    {
                        var row = await table.RawAsync(shard);
                        if (row["checkpoint"].S != last.SequenceNumber)
                        {
                            return false;
                        }
                    }

                    return true;
                },
                () => "every shard checkpointed at its last record");

            await stop.CancelAsync();
            await Task.WhenAll(runs).WaitAsync(WorkerKit.Deadline);

            var after = await table.SnapshotAsync();
            var leaseKeys = shards.Select(s => $"{kit.Application}/{s.ShardId}").ToHashSet(StringComparer.Ordinal);
            Assert.Equal(before.Keys.Order(StringComparer.Ordinal), after.Keys.Order(StringComparer.Ordinal));
            foreach (var (key, item) in before.Where(p => !leaseKeys.Contains(p.Key)))
            {
                Assert.Equal(item, after[key]);
            }

            foreach (var shard in shards)
            {
                var row = await table.RawAsync(shard.ShardId);
                var original = before[$"{kit.Application}/{shard.ShardId}"];
                Assert.False(row.ContainsKey("checkpointOwner"), $"{shard.ShardId} still has a checkpoint owner: {KclTableFixture.Canonical(row)}");
                foreach (var kept in new[] { "throughputKBps", "entityType", "startingHashKey", "endingHashKey" })
                {
                    Assert.Equal(original.Contains(kept + ":", StringComparison.Ordinal), row.ContainsKey(kept));
                }

                Assert.False(row.ContainsKey("leaseOwner"), $"{shard.ShardId} was not released at shutdown");
            }

            Assert.Equal(expected.Order(StringComparer.Ordinal), log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Order(StringComparer.Ordinal));
            Assert.Equal(1, log.MaxConcurrentPerShard);
        }
        finally
        {
            await DeleteAsync(kit, dynamo, kit.Application, coordinatorTable);
        }
    }

    [Theory(Timeout = Timeout)]
    [InlineData("kcl-3.5-single-table.json", "CLIENT_VERSION_3X")]
    [InlineData("kcl-3.5-single-table.json", "CLIENT_VERSION_3X_WITH_ROLLBACK")]
    [InlineData("kcl-3.x-compatible.json", "CLIENT_VERSION_3X")]
    public async Task A_worker_refuses_a_table_whose_fleet_runs_the_KCL_3_protocol_and_touches_nothing(string file, string clientVersion)
    {
        await using var kit = new WorkerKit(_aws);
        using var dynamo = _aws.CreateDynamoDbClient();
        var coordinatorTable = kit.Application + "-CoordinatorState";
        try
        {
            await kit.CreateStreamAsync(4);
            var shards = await kit.Kinesis.ListAllShardsAsync(kit.Stream, null).WaitAsync(WorkerKit.Deadline);
            var table = await KclTableFixture.LoadAsync(dynamo, file, kit.Application, coordinatorTable, shards);
            var inLeaseTable = (await table.RawAsync("Migration3.0")) is { Count: > 0 };

            // What the KCL's migration tool (or its migration monitor) writes when the fleet moves to 3.x.
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = inLeaseTable ? kit.Application : coordinatorTable,
                Key = new() { [inLeaseTable ? "leaseKey" : "key"] = new AttributeValue { S = "Migration3.0" } },
                UpdateExpression = "SET cv = :cv",
                ExpressionAttributeValues = new() { [":cv"] = new AttributeValue { S = clientVersion } },
            });
            var before = await table.SnapshotAsync();

            var consumer = new KinesisConsumer(WithLogs(kit.Options("dotnet-1")), new RecordingFactory(new ProcessingLog(), "dotnet-1"));
            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => consumer.RunAsync(CancellationToken.None)).WaitAsync(WorkerKit.Deadline);

            output.WriteLine(error.Message);
            Assert.Contains(clientVersion, error.Message, StringComparison.Ordinal);
            Assert.Contains(kit.Application, error.Message, StringComparison.Ordinal);
            Assert.Equal(before, await table.SnapshotAsync());
        }
        finally
        {
            await DeleteAsync(kit, dynamo, kit.Application, coordinatorTable);
        }
    }

    private KinesisConsumerOptions WithLogs(KinesisConsumerOptions options)
    {
        options.LoggerFactory = new OneLoggerFactory(new TestLogger(output));
        return options;
    }

    internal static async Task DeleteAsync(WorkerKit kit, AmazonDynamoDBClient dynamo, params string[] tables)
    {
        foreach (var table in tables)
        {
            try
            {
                await dynamo.DeleteTableAsync(table);
            }
            catch (AmazonDynamoDBException)
            {
                // Never created.
            }
        }
    }
}
