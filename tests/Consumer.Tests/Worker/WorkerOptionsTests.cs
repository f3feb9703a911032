using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>The KCL's lease table and client options on a running worker, on dynalite and kinesis-mock.</summary>
[Trait("Category", "Engine")]
public sealed class WorkerOptionsTests(LocalAwsFixture fixture, ITestOutputHelper output) : IClassFixture<LocalAwsFixture>
{
    private readonly LocalAws _aws = fixture.Aws;

    [Fact(Timeout = 120_000)]
    public async Task A_worker_on_its_own_clients_reads_a_stream_by_ARN_into_a_named_provisioned_table_within_its_lease_limit()
    {
        await using var kit = new WorkerKit(_aws);
        using var dynamo = _aws.CreateDynamoDbClient();
        var leaseTable = LocalAws.UniqueName("leases");
        try
        {
            await kit.CreateStreamAsync(2);
            var arn = (await kit.Kinesis.DescribeStreamSummaryAsync(kit.Stream, null).WaitAsync(WorkerKit.Deadline)).StreamArn;
            await kit.PutPlainAsync("r", 40);
            var logger = new TestLogger(output);
            var options = kit.Options("dotnet-1");
            options.StreamName = "";
            options.StreamArn = arn;
            options.LeaseTableName = leaseTable;
            options.BillingMode = BillingMode.PROVISIONED;
            options.InitialLeaseTableReadCapacity = 7;
            options.InitialLeaseTableWriteCapacity = 3;
            options.MaxLeasesForWorker = 1;
            options.KinesisClient = kit.Kinesis;
            options.DynamoDbClient = dynamo;
            options.LoggerFactory = new OneLoggerFactory(logger);
            var log = new ProcessingLog();
            using var stop = new CancellationTokenSource();
            var worker = new KinesisConsumer(options, new RecordingFactory(log, "dotnet-1"));
            var run = Task.Run(() => worker.RunAsync(stop.Token));

            await WorkerKit.WaitUntilAsync(() => !log.Records.IsEmpty, () => "records processed");
            var roundsSeen = logger.WithId(2104).Count();
            await WorkerKit.WaitUntilAsync(() => logger.WithId(2104).Count() >= roundsSeen + 3, () => "three more take rounds");
            var held = Assert.Single(worker.ProcessingShards);
            await stop.CancelAsync();
            await run.WaitAsync(WorkerKit.Deadline);

            Assert.All(log.Records, r => Assert.Equal(held, r.Shard));
            var table = (await dynamo.DescribeTableAsync(leaseTable)).Table;
            Assert.Equal((7L, 3L), (table.ProvisionedThroughput.ReadCapacityUnits ?? 0, table.ProvisionedThroughput.WriteCapacityUnits ?? 0));
            var index = Assert.Single(table.GlobalSecondaryIndexes);
            Assert.Equal((7L, 3L), (index.ProvisionedThroughput.ReadCapacityUnits ?? 0, index.ProvisionedThroughput.WriteCapacityUnits ?? 0));
            Assert.Equal(2, (await dynamo.ScanAsync(new ScanRequest { TableName = leaseTable })).Items.Count);
            await Assert.ThrowsAsync<Amazon.DynamoDBv2.Model.ResourceNotFoundException>(() => dynamo.DescribeTableAsync(kit.Application));

            // The caller's clients outlive the consumer.
            Assert.Equal(2, (await kit.Kinesis.ListAllShardsAsync(kit.Stream, null).WaitAsync(WorkerKit.Deadline)).Count);
        }
        finally
        {
            await KclFleetTableTests.DeleteAsync(kit, dynamo, leaseTable);
        }
    }
}
