using Kinesis.Clients.Consumer.Tests.Leases;
using Kinesis.Clients.Testing;
using Xunit.Abstractions;

namespace Kinesis.Clients.Consumer.Tests.Worker;

/// <summary>
/// A worker on a lease table a removed Java KCL fleet left behind, with the lease of a shard the stream no longer has
/// (Fixtures/kcl-2.x-aged-out.json), against kinesis-mock and dynalite.
/// </summary>
[Trait("Category", "Engine")]
public sealed class WorkerStaleLeaseTests(LocalAwsFixture fixture, ITestOutputHelper output) : IClassFixture<LocalAwsFixture>
{
    private const string Stale = "shardId-000000000099";
    private readonly LocalAws _aws = fixture.Aws;

    [Fact(Timeout = 120_000)]
    public async Task The_lease_of_a_shard_the_stream_no_longer_has_is_deleted_and_the_real_shards_are_consumed()
    {
        await using var kit = new WorkerKit(_aws);
        using var dynamo = _aws.CreateDynamoDbClient();
        var coordinatorTable = kit.Application + "-CoordinatorState";
        try
        {
            await kit.CreateStreamAsync(2);
            var shards = await kit.Kinesis.ListAllShardsAsync(kit.Stream, null).WaitAsync(WorkerKit.Deadline);
            Assert.DoesNotContain(shards, s => s.ShardId == Stale);
            var table = await KclTableFixture.LoadAsync(dynamo, "kcl-2.x-aged-out.json", kit.Application, coordinatorTable, shards);
            var expected = await kit.PutPlainAsync("r", 40);

            var log = new ProcessingLog();
            var logger = new TestLogger(output);
            var options = kit.Options("dotnet-1");
            options.LoggerFactory = new OneLoggerFactory(logger);
            using var stop = new CancellationTokenSource();
            var consumer = new KinesisConsumer(options, new RecordingFactory(log, "dotnet-1"));
            var run = Task.Run(() => consumer.RunAsync(stop.Token));

            await WorkerKit.WaitUntilAsync(
                async () => log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count() == expected.Count &&
                    await table.RawAsync(Stale) is null or { Count: 0 } &&
                    // The cleaner logs the deletion after the delete call returns: wait for the line, not only the row.
                    logger.WithId(2006).Any(),
                () => $"{log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Count()} of {expected.Count} records; " +
                    $"log: {string.Join(" | ", logger.Entries.Select(e => e.Message))}");
            await stop.CancelAsync();
            await run.WaitAsync(WorkerKit.Deadline);

            Assert.Equal(expected.Order(StringComparer.Ordinal), log.Records.Select(r => WorkerKit.Text(r.Record)).Distinct().Order(StringComparer.Ordinal));
            foreach (var shard in shards)
            {
                Assert.NotEmpty(await table.RawAsync(shard.ShardId));
            }

            var deleted = Assert.Single(logger.WithId(2006));
            Assert.Contains(Stale, deleted.Message, StringComparison.Ordinal);
            Assert.Contains("does not exist", deleted.Message, StringComparison.Ordinal);

            // Taken once when the Java worker's lease expired, told the shard does not exist, deleted: no retake loop.
            Assert.Single(logger.WithId(2020));
        }
        finally
        {
            await KclFleetTableTests.DeleteAsync(kit, dynamo, kit.Application, coordinatorTable);
        }
    }
}
