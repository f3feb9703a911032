using Amazon.DynamoDBv2.Model;
using Kinesis.Clients.Testing;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>A KCL 3.x leader's graceful handoff of a lease our worker holds, on dynalite and kinesis-mock.</summary>
[Trait("Category", "Engine")]
public sealed class WorkerHandoffTests(LocalAwsFixture fixture) : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws = fixture.Aws;

    [Fact(Timeout = 120_000)]
    public async Task A_handoff_lets_the_processor_checkpoint_then_transfers_the_lease_to_the_named_owner()
    {
        await using var kit = new WorkerKit(_aws);
        using var dynamo = _aws.CreateDynamoDbClient();
        try
        {
            await kit.CreateStreamAsync(2);
            var expected = await kit.PutPlainAsync("r", 30);
            var log = new ProcessingLog();
            using var stop = new CancellationTokenSource();
            var worker = new KinesisConsumer(kit.Options("dotnet-a"), new ShutdownCheckpointingFactory(log, "dotnet-a"));
            var run = Task.Run(() => worker.RunAsync(stop.Token));
            await WorkerKit.WaitUntilAsync(
                () => log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count() == expected.Count,
                () => $"{log.Records.Count} of {expected.Count} records");
            var shard = log.Records.First().Shard;
            var last = log.Records.Where(r => r.Shard == shard).Max(r => new ExtendedSequenceNumber(r.Record.SequenceNumber, r.Record.SubSequenceNumber));
            Assert.Equal("TRIM_HORIZON", (await RowAsync(dynamo, kit.Application, shard))["checkpoint"].S);

            // DynamoDBLeaseRefresher.initiateGracefulLeaseHandoff, as the KCL 3.x leader sends it.
            await dynamo.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = kit.Application,
                Key = new() { ["leaseKey"] = new AttributeValue { S = shard } },
                UpdateExpression = "SET leaseOwner = :next, checkpointOwner = :current",
                ConditionExpression = "attribute_exists(leaseKey) AND leaseOwner = :current AND attribute_not_exists(checkpointOwner)",
                ExpressionAttributeValues = new()
                {
                    [":next"] = new AttributeValue { S = "java-worker-9" },
                    [":current"] = new AttributeValue { S = "dotnet-a" },
                },
            });

            await WorkerKit.WaitUntilAsync(
                async () => (await RowAsync(dynamo, kit.Application, shard)) is var row && !row.ContainsKey("checkpointOwner"),
                () => "the lease transferred");
            var transferred = await RowAsync(dynamo, kit.Application, shard);
            Assert.Equal("java-worker-9", transferred["leaseOwner"].S);
            Assert.Equal(last.SequenceNumber, transferred["checkpoint"].S);
            Assert.Contains(("dotnet-a", shard, "shutdown"), log.Events);
            Assert.DoesNotContain(("dotnet-a", shard, "lease lost"), log.Events);

            // The named owner never renews (no Java worker here): the lease expires and ours takes it back, from the
            // checkpoint written during the handoff.
            await WorkerKit.WaitUntilAsync(
                () => log.Initialized.Count(i => i.Shard == shard) == 2,
                () => "the shard restarted: " + string.Join("; ", log.Events.Select(e => $"{e.Worker} {e.Shard} {e.Event}")));
            Assert.Equal(last, log.Initialized.Last(i => i.Shard == shard).Checkpoint);

            await stop.CancelAsync();
            await run.WaitAsync(WorkerKit.Deadline);
            Assert.Equal(1, log.MaxConcurrentPerShard);
        }
        finally
        {
            await KclFleetTableTests.DeleteAsync(kit, dynamo, kit.Application);
        }
    }

    private static async Task<Dictionary<string, AttributeValue>> RowAsync(Amazon.DynamoDBv2.AmazonDynamoDBClient dynamo, string table, string key) =>
        (await dynamo.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new() { ["leaseKey"] = new AttributeValue { S = key } },
            ConsistentRead = true,
        })).Item;

    /// <summary>Checkpoints only when asked to shut down, so the handoff's checkpoint is the only one.</summary>
    private sealed class ShutdownCheckpointingFactory(ProcessingLog log, string worker) : IRecordProcessorFactory
    {
        public IRecordProcessor CreateProcessor(string shardId) => new Processor(log, worker);

        private sealed class Processor(ProcessingLog log, string worker) : IRecordProcessor
        {
            private readonly RecordingProcessor _recording = new(log, worker);

            public ValueTask InitializeAsync(InitializationInput input, CancellationToken cancellationToken) =>
                _recording.InitializeAsync(input, cancellationToken);

            public ValueTask ProcessRecordsAsync(ProcessRecordsInput input, CancellationToken cancellationToken)
            {
                foreach (var record in input.Records)
                {
                    log.Records.Enqueue((worker, input.ShardId, record));
                }

                return ValueTask.CompletedTask;
            }

            public ValueTask LeaseLostAsync(LeaseLostInput input, CancellationToken cancellationToken) =>
                _recording.LeaseLostAsync(input, cancellationToken);

            public ValueTask ShardEndedAsync(ShardEndedInput input, CancellationToken cancellationToken) =>
                _recording.ShardEndedAsync(input, cancellationToken);

            public async ValueTask ShutdownRequestedAsync(ShutdownRequestedInput input, CancellationToken cancellationToken)
            {
                await input.Checkpointer.CheckpointAsync(cancellationToken);
                await _recording.ShutdownRequestedAsync(input, cancellationToken);
            }
        }
    }
}
