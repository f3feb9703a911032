using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// A running worker and a Java KCL fleet on its lease table that writes <c>Migration3.0</c> while the worker runs:
/// the row exactly as KCL 3.x writes it (<c>MigrationState</c>: created with <c>CLIENT_VERSION_INIT</c>, then updated,
/// which pushes the old values onto <c>h</c>), in the lease table (KCL 3.5) or in <c>{application}-CoordinatorState</c>
/// (KCL 3.0-3.4, hash key <c>key</c>).
/// </summary>
[Trait("Category", "Engine")]
public sealed class KclFleetSwitchTests(LocalAwsFixture fixture, ITestOutputHelper output) : IClassFixture<LocalAwsFixture>
{
    private const int Timeout = 120_000;
    private const string Worker = "dotnet-1";
    private static readonly TimeSpan MonitorInterval = TimeSpan.FromMilliseconds(200);
    private readonly LocalAws _aws = fixture.Aws;

    [Theory(Timeout = Timeout)]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_worker_leaves_when_a_KCL_3_worker_starts_leading_checkpointing_and_releasing_everything_first(bool coordinatorStateTable)
    {
        await using var kit = new WorkerKit(_aws);
        using var dynamo = _aws.CreateDynamoDbClient();
        var coordinatorTable = kit.Application + "-CoordinatorState";
        try
        {
            await kit.CreateStreamAsync(2);
            var shards = await kit.Kinesis.ListAllShardsAsync(kit.Stream, null).WaitAsync(WorkerKit.Deadline);
            var expected = await kit.PutPlainAsync("r", 40);
            var logger = new TestLogger(output);
            var log = new ProcessingLog();
            var consumer = new KinesisConsumer(Options(kit, logger), new ShutdownCheckpointingFactory(log));
            var run = Task.Run(() => consumer.RunAsync(CancellationToken.None));

            await WorkerKit.WaitUntilAsync(
                () => log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count() == expected.Count && consumer.ProcessingShards.Count == 2,
                () => $"{log.Records.Count} records, shards {string.Join(",", consumer.ProcessingShards)}");

            // A KCL 3.x worker left at CLIENT_VERSION_CONFIG_3X starts on the table and finds no migration row.
            var table = coordinatorStateTable ? coordinatorTable : kit.Application;
            if (coordinatorStateTable)
            {
                await CreateCoordinatorStateTableAsync(dynamo, coordinatorTable);
            }

            var row = MigrationRow(coordinatorStateTable ? "key" : "leaseKey", "CLIENT_VERSION_3X");
            await dynamo.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = row,
                ConditionExpression = "attribute_not_exists(#k)",
                ExpressionAttributeNames = new() { ["#k"] = coordinatorStateTable ? "key" : "leaseKey" },
            });

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => run).WaitAsync(WorkerKit.Deadline);

            output.WriteLine(error.Message);
            Assert.StartsWith($"Lease table {kit.Application}:", error.Message, StringComparison.Ordinal);
            Assert.Contains($"Migration3.0 in table {table} now has cv = CLIENT_VERSION_3X", error.Message, StringComparison.Ordinal);
            Assert.Equal(error.Message, Assert.Single(logger.WithId(2083)).Message);
            Assert.Empty(consumer.ProcessingShards);

            // Each processor was asked to stop and checkpointed its last record; no lease was lost or kept.
            var store = kit.LeaseStore(dynamo);
            foreach (var shard in shards)
            {
                var last = log.Records.Where(r => r.Shard == shard.ShardId).Max(r => new ExtendedSequenceNumber(r.Record.SequenceNumber, r.Record.SubSequenceNumber));
                var lease = Assert.Single(await store.ListAsync(), l => l.LeaseKey == shard.ShardId);
                Assert.Equal(last, lease.Checkpoint);
                Assert.Null(lease.LeaseOwner);
                Assert.Contains((Worker, shard.ShardId, "shutdown"), log.Events);
            }

            Assert.DoesNotContain(log.Events, e => e.Event == "lease lost");
            var after = await dynamo.GetItemAsync(new GetItemRequest
            {
                TableName = table,
                Key = new() { [coordinatorStateTable ? "key" : "leaseKey"] = new AttributeValue { S = "Migration3.0" } },
                ConsistentRead = true,
            });
            Assert.Equal(Leases.KclTableFixture.Canonical(row), Leases.KclTableFixture.Canonical(after.Item));
        }
        finally
        {
            await KclFleetTableTests.DeleteAsync(kit, dynamo, coordinatorTable);
        }
    }

    [Theory(Timeout = Timeout)]
    [InlineData("CLIENT_VERSION_UPGRADE_FROM_2X")]
    [InlineData("CLIENT_VERSION_2X")]
    public async Task A_2_x_compatible_client_version_changes_nothing(string clientVersion)
    {
        await using var kit = new WorkerKit(_aws);
        using var dynamo = _aws.CreateDynamoDbClient();
        await kit.CreateStreamAsync(2);
        var first = await kit.PutPlainAsync("a", 20);
        var logger = new TestLogger(output);
        var log = new ProcessingLog();
        using var stop = new CancellationTokenSource();
        var consumer = new KinesisConsumer(Options(kit, logger), new ShutdownCheckpointingFactory(log));
        var run = Task.Run(() => consumer.RunAsync(stop.Token));
        await WorkerKit.WaitUntilAsync(
            () => log.Records.Count >= first.Count && consumer.ProcessingShards.Count == 2,
            () => $"{log.Records.Count} records, shards {string.Join(",", consumer.ProcessingShards)}");

        await dynamo.PutItemAsync(new PutItemRequest { TableName = kit.Application, Item = MigrationRow("leaseKey", clientVersion) });

        // The worker has read the row (and decided on it) before the next records go in.
        await WorkerKit.WaitUntilAsync(
            () => logger.WithId(2080).Any(e => e.Message.Contains(clientVersion, StringComparison.Ordinal)),
            () => $"no log line showing {clientVersion} read");
        var second = await kit.PutPlainAsync("b", 20);
        await WorkerKit.WaitUntilAsync(
            () => log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count() == first.Count + second.Count,
            () => $"{log.Records.Count} of {first.Count + second.Count} records");

        Assert.Equal(2, consumer.ProcessingShards.Count);
        Assert.False(run.IsCompleted, "the worker stopped on a 2.x-compatible client version");
        await stop.CancelAsync();
        await run.WaitAsync(WorkerKit.Deadline);
        Assert.Empty(logger.WithId(2083));
        Assert.Empty(logger.WithId(2081));
    }

    private static KinesisConsumerOptions Options(WorkerKit kit, TestLogger logger)
    {
        var options = kit.Options(Worker);
        options.LoggerFactory = new OneLoggerFactory(logger);
        options.ClientVersionMonitorInterval = MonitorInterval;
        return options;
    }

    // MigrationState.serialize as a KCL 3.x worker creates it: INIT, then updated to the configured version.
    private static Dictionary<string, AttributeValue> MigrationRow(string keyAttribute, string clientVersion)
    {
        var created = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        return new(StringComparer.Ordinal)
        {
            [keyAttribute] = new AttributeValue { S = "Migration3.0" },
            ["entityType"] = new AttributeValue { S = "CLIENT_VERSION_MIGRATION" },
            ["cv"] = new AttributeValue { S = clientVersion },
            ["mb"] = new AttributeValue { S = "java-worker-1" },
            ["mts"] = new AttributeValue { N = (created + 3).ToString(System.Globalization.CultureInfo.InvariantCulture) },
            ["h"] = new AttributeValue
            {
                L =
                [
                    new AttributeValue
                    {
                        M = new(StringComparer.Ordinal)
                        {
                            ["cv"] = new AttributeValue { S = "CLIENT_VERSION_INIT" },
                            ["mb"] = new AttributeValue { S = "java-worker-1" },
                            ["mts"] = new AttributeValue { N = created.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                        },
                    },
                ],
            },
        };
    }

    private static async Task CreateCoordinatorStateTableAsync(AmazonDynamoDBClient dynamo, string table)
    {
        await dynamo.CreateTableAsync(new CreateTableRequest
        {
            TableName = table,
            KeySchema = [new KeySchemaElement("key", KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition("key", ScalarAttributeType.S)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        });
        await WorkerKit.WaitUntilAsync(
            async () => (await dynamo.DescribeTableAsync(table)).Table.TableStatus == TableStatus.ACTIVE,
            () => $"table {table} active");
    }

    /// <summary>Checkpoints only when asked to stop, so a checkpoint at the last record shows the graceful path ran.</summary>
    private sealed class ShutdownCheckpointingFactory(ProcessingLog log) : IRecordProcessorFactory
    {
        public IRecordProcessor CreateProcessor(string shardId) => new Processor(log);

        private sealed class Processor(ProcessingLog log) : IRecordProcessor
        {
            private string _shard = "";

            public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken)
            {
                _shard = input.ShardId;
                return ValueTask.CompletedTask;
            }

            public ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
            {
                foreach (var record in input.Records)
                {
                    log.Records.Enqueue((Worker, _shard, record));
                }

                return ValueTask.CompletedTask;
            }

            public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken)
            {
                log.Events.Enqueue((Worker, _shard, "lease lost"));
                return ValueTask.CompletedTask;
            }

            public async ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken) =>
                await input.Checkpointer.CheckpointAsync(cancellationToken);

            public async ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken)
            {
                await input.Checkpointer.CheckpointAsync(cancellationToken);
                log.Events.Enqueue((Worker, _shard, "shutdown"));
            }
        }
    }
}
